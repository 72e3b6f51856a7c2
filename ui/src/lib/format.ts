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
  return `${formatDay(ms)} ${formatTime(ms)}`;
}

/** "2024-02-20": the date alone, where the time does not fit. */
export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** "14:30". */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** A creator as shown: videos at the bucket root have no folder, hence no name. */
export function creatorLabel(name: string): string {
  return name || '(bucket root)';
}

/** "1 video", "2 videos", "12,000 videos". */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${n === 1 ? word : `${word}s`}`;
}

/** A duration to the unit that matters: "45 s", "3 min", "1 h 20 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** "200K", "1.2M": where the full count does not fit. */
export function formatCompact(n: number): string {
  return compact.format(n);
}

/** A place in a video: "12:34", "1:02:03". */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const s = (total % 60).toString().padStart(2, '0');
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  return h ? `${h}:${m.toString().padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long ago an instant of this computer's clock was (a video watched), to follow a
 * verb: "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", and past a month
 * the local date, "on 2024-02-20". */
export function formatAgo(ms: number, now: number): string {
  const elapsed = now - ms;
  // A little ahead (another computer's clock, via a shared catalog) is still "now".
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (elapsed < 2 * DAY) return 'yesterday';
  if (elapsed < 30 * DAY) return `${Math.floor(elapsed / DAY)} days ago`;
  // en-CA writes the local date as YYYY-MM-DD, as the cards write days.
  return `on ${new Date(ms).toLocaleDateString('en-CA')}`;
}
