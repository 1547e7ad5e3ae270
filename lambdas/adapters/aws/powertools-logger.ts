/**
 * The AWS logger: a {@link Logger} port over Powertools Logger, which writes one JSON line per entry with the
 * level, service, timestamp and (inside a handler wrapped by its middleware) the Lambda request id, so
 * CloudWatch Logs Insights can filter on any field.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogFields, Logger } from '../../core/ports.js';

/** Field names whose values are never written out, whatever a caller passes by mistake. */
const SENSITIVE = /secret|password|passwd|token|authorization|signature|api[-_]?key|write[-_]?key|cookie/i;

/** Stands in for a redacted value. */
export const REDACTED = '[redacted]';

/** Options of {@link PowertoolsLoggerAdapter}: either a ready Powertools logger or what to build one with. */
export type PowertoolsLoggerOptions =
  | { readonly logger: PowertoolsLogger }
  | { readonly serviceName: string; readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' };

/**
 * A copy of `fields` in which string values under sensitive-looking keys are replaced, at any depth of plain
 * objects (non-string values such as `signature_valid: false` carry no secret and are kept).
 */
export function redact(fields: LogFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' && SENSITIVE.test(key)) out[key] = REDACTED;
    else if (
      value !== null &&
      typeof value === 'object' &&
      Object.getPrototypeOf(value) === Object.prototype
    ) {
      out[key] = redact(value as LogFields);
    } else out[key] = value;
  }
  return out;
}

/**
 * A {@link Logger} port over Powertools Logger. Fields become top-level keys of the JSON line; as a last line
 * of defence against leaking credentials, string values under keys that look like secrets are redacted.
 */
export class PowertoolsLoggerAdapter implements Logger {
  /** The underlying Powertools logger, for handlers that wire its middy middleware. */
  readonly powertools: PowertoolsLogger;

  constructor(options: PowertoolsLoggerOptions) {
    this.powertools =
      'logger' in options
        ? options.logger
        : new PowertoolsLogger({ serviceName: options.serviceName, logLevel: options.logLevel ?? 'INFO' });
  }

  debug(message: string, fields: LogFields = {}): void {
    this.powertools.debug(message, redact(fields));
  }

  info(message: string, fields: LogFields = {}): void {
    this.powertools.info(message, redact(fields));
  }

  warn(message: string, fields: LogFields = {}): void {
    this.powertools.warn(message, redact(fields));
  }

  error(message: string, fields: LogFields = {}): void {
    this.powertools.error(message, redact(fields));
  }
}
