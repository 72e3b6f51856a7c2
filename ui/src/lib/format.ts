// How numbers and times read in the UI; one place so cards and filters agree.

const number = new Intl.NumberFormat('en');

export function formatCount(n: number): string {
  return number.format(n);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Decimal units, as storage providers bill. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Recording times come from file names, which carry no zone: shown as written. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** A creator as shown: videos at the bucket root have no folder, hence no name. */
export function creatorLabel(name: string): string {
  return name || '(bucket root)';
}
