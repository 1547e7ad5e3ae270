import { LineCounter, parseDocument, type Document } from 'yaml';
import type { ProjectFile } from './project-files.js';
import { TransformError, type SourceLocation } from './transform-error.js';

/** A path into a YAML document: mapping keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/**
 * A parsed `.yml` file that can say where any value came from, so that every complaint about a property file
 * names the file and the line (`models/staging/_stripe.yml:14: …`).
 */
export class YamlFile {
  readonly file: ProjectFile;
  /** The document as plain values. */
  readonly value: unknown;
  private readonly document: Document;
  private readonly lines: LineCounter;

  /** Parses `file`; a YAML syntax error becomes a {@link TransformError} at its line. */
  constructor(file: ProjectFile) {
    this.file = file;
    this.lines = new LineCounter();
    this.document = parseDocument(file.text, { lineCounter: this.lines, prettyErrors: true });
    const error = this.document.errors[0];
    if (error) {
      const position = error.linePos?.[0];
      throw new TransformError(
        'invalid_yaml',
        (error.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, ''),
        {
          file: file.display,
          ...(position ? { line: position.line, column: position.col } : {}),
        },
      );
    }
    this.value = this.document.toJS() as unknown;
  }

  /** The location of the value at `path`, or of its nearest existing parent. */
  at(path: YamlPath): SourceLocation {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = this.document.getIn(path.slice(0, depth), true) as
        { range?: [number, number, number] } | undefined;
      const offset = node?.range?.[0];
      if (offset !== undefined) {
        const position = this.lines.linePos(offset);
        return { file: this.file.display, line: position.line };
      }
    }
    return { file: this.file.display };
  }

  /** Throws a {@link TransformError} located at `path`. */
  fail(path: YamlPath, message: string): never {
    throw new TransformError('invalid_properties', message, this.at(path));
  }
}

/** Whether `value` is a plain mapping. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
