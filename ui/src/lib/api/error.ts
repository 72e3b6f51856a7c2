import type { AppError, ErrorKind } from './bindings';

/** A command that failed, with the kind the shell gave it. */
export class ApiError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
  }

  /** Whether trying the same thing again later can succeed. */
  get transient(): boolean {
    return this.kind === 'busy';
  }

  /** Whatever `invoke` rejected with: the shell's `{kind, message}`, or a bare string
   * from Tauri itself (unknown command, bad arguments), which is a bug on our side. */
  static from(raw: unknown): ApiError {
    if (raw instanceof ApiError) return raw;
    if (isPayload(raw)) return new ApiError(raw.kind, raw.message);
    if (raw instanceof Error) return new ApiError('internal', raw.message);
    return new ApiError('internal', String(raw));
  }
}

function isPayload(raw: unknown): raw is AppError {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    typeof (raw as AppError).kind === 'string' &&
    typeof (raw as AppError).message === 'string'
  );
}
