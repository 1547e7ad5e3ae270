import { SluiceError } from '../errors.js';

/** Where in the models project something is wrong: a file and, when known, a 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** `file:line:column`, as editors and terminals turn into links. */
export function formatLocation(at: SourceLocation): string {
  return `${at.file}${at.line !== undefined ? `:${at.line}` : ''}${at.line !== undefined && at.column !== undefined ? `:${at.column}` : ''}`;
}

/**
 * A models project that cannot be run as written: a template syntax error, an unknown `ref`, a cycle, a bad
 * `.yml`, an unknown selector. The message starts with the file and line, so the one line the CLI prints is
 * enough to find the mistake; nothing is built when a project fails to compile.
 */
export class TransformError extends SluiceError {
  /** Where the problem is, when it is in one file. */
  readonly location: SourceLocation | undefined;

  constructor(code: string, message: string, location?: SourceLocation, options?: { cause?: unknown }) {
    super(code, location ? `${formatLocation(location)}: ${message}` : message, options);
    this.location = location;
  }
}
