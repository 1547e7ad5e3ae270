/**
 * Captures what a process writes to stdout and reads the CloudWatch Embedded Metric Format documents in it
 * back into data points, the way CloudWatch would extract them: one point per value of each metric the
 * `_aws.CloudWatchMetrics` directive declares, with the directive's dimensions taken from the document.
 */
import { vi } from 'vitest';
import type { EmittedMetric } from '../suites/metrics-contract.js';

interface Directive {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string; readonly Unit?: string }[];
}

/** A running stdout capture. */
export interface EmfStdoutProbe {
  /** Namespaces of the directives seen so far. */
  readonly namespaces: () => string[];
  /** Every data point written so far, without the dimensions named in `ignoredDimensions`. */
  readonly emitted: () => EmittedMetric[];
  /** Stops capturing and restores stdout. */
  readonly stop: () => void;
}

/** Starts capturing stdout; `ignoredDimensions` are left out of the points (e.g. the adapter's `service`). */
export function captureEmf(ignoredDimensions: readonly string[] = []): EmfStdoutProbe {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  const documents = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((doc) => typeof doc._aws === 'object' && doc._aws !== null);
  const directives = (doc: Record<string, unknown>): Directive[] =>
    (doc._aws as { CloudWatchMetrics: Directive[] }).CloudWatchMetrics;

  return {
    namespaces: () => documents().flatMap((doc) => directives(doc).map((directive) => directive.Namespace)),
    emitted: () =>
      documents().flatMap((doc) =>
        directives(doc).flatMap((directive) => {
          const names = (directive.Dimensions[0] ?? []).filter((name) => !ignoredDimensions.includes(name));
          const dimensions = Object.fromEntries(names.map((name) => [name, String(doc[name])]));
          return directive.Metrics.flatMap((metric) => {
            const raw = doc[metric.Name];
            const values = Array.isArray(raw) ? (raw as number[]) : [raw as number];
            return values.map((value) => ({
              name: metric.Name,
              value,
              unit: (metric.Unit ?? 'None') as EmittedMetric['unit'],
              dimensions,
            }));
          });
        }),
      ),
    stop: () => spy.mockRestore(),
  };
}
