import { parse } from 'yaml';
import {
  assertRunSucceeded,
  type ModelRunResult,
  type TransformResult,
} from '../../core/transform/run-models.js';
import { LocalTransform, modelsDirectory } from '../local-transform.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';

/** Options of `sluice run`. */
export interface RunCommandOptions {
  readonly select?: string;
  readonly exclude?: string;
  readonly fullRefresh?: boolean;
  /** `var()` values as a JSON (or YAML) object. */
  readonly vars?: string;
  readonly concurrency?: number;
  readonly json?: boolean;
}

/** Parses `--vars`: a JSON or YAML mapping (`'{"as_of": "2026-11-25"}'`, `'{as_of: 2026-11-25}'`). */
export function parseVars(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parse(text) as unknown;
  } catch (error) {
    throw new Error(`--vars is not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error('--vars must be an object, e.g. \'{"health_active_users_target": 20}\'');
  return value as Record<string, unknown>;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** One line of the task list: position, outcome, materialization, relation and rows or the reason. */
export function modelLine(result: ModelRunResult, index: number, total: number): string {
  const position = `${String(index).padStart(String(total).length)}/${total}`;
  const status = { success: 'OK', error: 'ERROR', skipped: 'SKIP' }[result.status].padEnd(5);
  const detail =
    result.status === 'success'
      ? `${result.rows === null ? '' : `${result.rows} rows  `}${seconds(result.durationMs)}`
      : (result.error ?? '').split('\n')[0];
  return `  ${position}  ${status}  ${result.materialization.padEnd(11)}  ${result.relation.padEnd(40)}  ${detail}`;
}

/** The closing line of a run. */
export function runSummary(result: TransformResult): string {
  if (result.models.length === 0) return 'Nothing to run: no model is selected.';
  const ms = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  const parts = [`${result.succeeded} ok`, `${result.failed} failed`, `${result.skipped} skipped`];
  if (result.deferred.length > 0) parts.push(`${result.deferred.length} deferred`);
  return `Ran ${result.models.length} model(s) in ${seconds(ms)}: ${parts.join(', ')} (run ${result.runId})`;
}

/**
 * `sluice run [--select m] [--full-refresh]`: builds the models in DAG order with a task list, through the
 * running pipeline when there is one (its warehouse lock), otherwise on the local files. Exits non-zero with
 * one line naming the failed models when any failed.
 */
export async function runCommand(
  options: RunCommandOptions,
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const vars = parseVars(options.vars);
  const request = {
    ...(options.select !== undefined ? { select: options.select } : {}),
    ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
    ...(options.fullRefresh ? { fullRefresh: true } : {}),
    ...(vars ? { vars } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  };
  const out = (line: string): void => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const running = findRunningPipeline(home);
  let result: TransformResult;
  if (running) {
    out(`running models through the pipeline at ${running.url}…`);
    result = await running.call<TransformResult>('POST', '/admin/run', request);
    result.models.forEach((m, i) => out(modelLine(m, i + 1, result.models.length)));
  } else {
    result = await withLocalPorts(home, configPath, (ports, config) =>
      new LocalTransform(modelsDirectory(config, configPath), ports).run({
        ...request,
        onProgress: (p) => {
          if (p.phase === 'finished' && p.result) out(modelLine(p.result, p.index, p.total));
        },
      }),
    );
  }
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else out(runSummary(result));
  assertRunSucceeded(result);
}
