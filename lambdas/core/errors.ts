/**
 * Errors the core raises on purpose. Each carries a stable `code` so that composition roots can map it to an
 * HTTP status, an exit code or an alert without parsing messages.
 */

/** Base class of every deliberate Sluice error. */
export class SluiceError extends Error {
  /** Stable, machine-readable code (e.g. `invalid_config`, `statement_failed`). */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The configuration file is invalid; `path` points at the offending field (e.g. `/sources/stripe/kind`). */
export class ConfigError extends SluiceError {
  readonly path: string;

  constructor(path: string, message: string) {
    super('invalid_config', `config${path || ''}: ${message}`);
    this.path = path;
  }
}

/** A request was rejected; `status` is the HTTP status to answer with and `detail` says why. */
export class RejectedError extends SluiceError {
  readonly status: number;
  readonly detail: string;

  constructor(status: number, code: string, detail: string) {
    super(code, detail);
    this.status = status;
    this.detail = detail;
  }
}

/** A warehouse statement failed; the message names the statement's purpose and the warehouse's reason. */
export class WarehouseError extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('statement_failed', message, options);
  }
}

/** A port could not keep data durably (disk full, read-only folder, queue unavailable): answer 503. */
export class UnavailableError extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, options);
  }
}
