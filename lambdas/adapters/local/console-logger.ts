/**
 * The local {@link Logger}: one JSON object per line on stderr, so `sluice start` output can be piped into
 * `jq` or a log shipper, with secrets kept out even when a caller passes them by mistake.
 */
import type { LogFields, Logger } from '../../core/ports.js';

/** Log levels, least severe first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names whose values are never written (matched anywhere in the name, any case, at any depth). */
export const SECRET_FIELD = /secret|password|token|authorization|signature|key/i;

/** What replaces a redacted value. */
export const REDACTED = '[redacted]';

/** Settings of a {@link ConsoleLogger}. */
export interface ConsoleLoggerOptions {
  /** Least severe level written (default `info`). */
  readonly level?: LogLevel;
  /** Where lines go (default stderr); injectable for tests. */
  readonly write?: (line: string) => void;
  /** Current time (default the system clock). */
  readonly now?: () => Date;
  /** Fields added to every entry (e.g. `{ component: 'land' }`). */
  readonly base?: LogFields;
}

/** Copies a value for JSON output: secret-named fields redacted, errors reduced to name and message, cycles cut. */
export function redact(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => redact(item, seen));
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    out[name] = SECRET_FIELD.test(name) ? REDACTED : redact(field, seen);
  }
  return out;
}

/** A {@link Logger} writing JSON lines (`time`, `level`, `message`, then the fields) at or above a level. */
export class ConsoleLogger implements Logger {
  private readonly threshold: number;
  private readonly write: (line: string) => void;
  private readonly now: () => Date;
  private readonly base: LogFields;

  constructor(options: ConsoleLoggerOptions = {}) {
    this.threshold = RANK[options.level ?? 'info'];
    this.write = options.write ?? ((line) => process.stderr.write(line));
    this.now = options.now ?? (() => new Date());
    this.base = options.base ?? {};
  }

  debug(message: string, fields?: LogFields): void {
    this.entry('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.entry('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.entry('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.entry('error', message, fields);
  }

  /** A logger that adds `fields` to every entry, with the same level and output. */
  child(fields: LogFields): ConsoleLogger {
    const levels = Object.entries(RANK) as [LogLevel, number][];
    const level = levels.find(([, rank]) => rank === this.threshold)?.[0] ?? 'info';
    return new ConsoleLogger({ level, write: this.write, now: this.now, base: { ...this.base, ...fields } });
  }

  private entry(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (RANK[level] < this.threshold) return;
    const extra = redact({ ...this.base, ...fields }) as Record<string, unknown>;
    delete extra.time;
    delete extra.level;
    delete extra.message;
    this.write(`${JSON.stringify({ time: this.now().toISOString(), level, message, ...extra })}\n`);
  }
}
