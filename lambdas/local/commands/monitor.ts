import type { MonitorRunResult } from '../../core/monitor/run-monitors.js';
import { LocalMonitor } from '../local-monitor.js';
import { modelsDirectory } from '../local-transform.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';
import { formatTable } from './format-table.js';

/** A monitor run as JSON carries it (dates as ISO strings). */
type RunAsJson = Omit<MonitorRunResult, 'at' | 'results'> & {
  readonly at: string;
  readonly results: readonly (Omit<MonitorRunResult['results'][number], 'at'> & { readonly at: string })[];
};

function range(expected: { low: number; high: number } | null): string {
  return expected ? `${round(expected.low)} – ${round(expected.high)}` : '';
}

function round(value: number | null): string {
  return value === null ? '' : Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/** The terminal report: one line per result, then what happened to incidents. */
export function monitorReport(run: RunAsJson): string {
  const rows = run.results.map((r) => ({
    status: r.status.toUpperCase(),
    monitor: r.monitor,
    table: r.table ?? '',
    dimension: r.dimension ?? '',
    at: r.at.slice(0, 16),
    observed: round(r.observed),
    expected: range(r.expected),
    explanation: r.explanation,
  }));
  const incidents = run.incidents.map(
    (c) => `  ${c.type.padEnd(9)} ${c.severity.padEnd(5)} ${c.key}${c.notified ? ' (alert sent)' : ''}`,
  );
  const failing = run.results.filter((r) => r.status !== 'ok').length;
  return [
    rows.length === 0 ? 'No monitor had anything to judge.' : formatTable(rows),
    ...(incidents.length > 0 ? ['', 'Incidents:', ...incidents] : []),
    '',
    `${run.results.length} result(s), ${failing} failing (run ${run.runId}; history in ops.monitor_results, incidents in ops.alerts)`,
  ].join('\n');
}

/**
 * `sluice monitor [--json]`: runs every monitor once, through the running pipeline when there is one (else on
 * the warehouse file itself), prints the results and exits non-zero when any check is in error.
 */
export async function monitorCommand(
  options: { json?: boolean },
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const running = findRunningPipeline(home);
  const run = running
    ? await running.call<RunAsJson>('POST', '/admin/monitor')
    : (JSON.parse(
        JSON.stringify(
          await withLocalPorts(home, configPath, (ports, config) =>
            new LocalMonitor(config, ports, { modelsDirectory: modelsDirectory(config, configPath) }).run(),
          ),
        ),
      ) as RunAsJson);
  process.stdout.write(`${options.json ? JSON.stringify(run) : monitorReport(run)}\n`);
  const errors = run.results.filter((r) => r.status === 'error');
  if (errors.length > 0) {
    process.exitCode = 1;
    if (!options.json)
      process.stderr.write(
        `sluice: ${errors.length} monitor(s) in error: ${errors.map((r) => `${r.monitor}${r.table ? ` ${r.table}` : ''}`).join(', ')}\n`,
      );
  }
}
