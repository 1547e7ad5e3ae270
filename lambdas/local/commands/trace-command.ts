import { FsModelSource } from '../../adapters/local/fs-model-source.js';
import type { ResolvedConfig } from '../../core/config/config-types.js';
import type { Ports } from '../../core/ports.js';
import { traceRecord } from '../../core/trace/trace-record.js';
import type { RecordTrace, TraceResult } from '../../core/trace/trace-types.js';
import type { ModelSource } from '../../core/transform/model-source.js';
import { modelsDirectory } from '../local-transform.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';

/** Traces a record on local ports: the running pipeline's admin route and the CLI both call this. */
export function traceLocally(
  id: string,
  config: ResolvedConfig,
  ports: Pick<Ports, 'warehouse' | 'objects' | 'clock'>,
  models: ModelSource | undefined,
): Promise<TraceResult> {
  return traceRecord(id, {
    warehouse: ports.warehouse,
    objects: ports.objects,
    syncs: config.syncs,
    now: ports.clock.now(),
    ...(models ? { models } : {}),
  });
}

function when(at: string | null): string {
  return at === null ? '(no time)'.padEnd(24) : `${at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`.padEnd(24);
}

function rowText(row: Readonly<Record<string, unknown>>): string {
  return Object.entries(row)
    .slice(0, 8)
    .map(([k, v]) => `${k}=${v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

/** The human form of one record's trace: a timeline, then the model rows and destination writes. */
export function formatRecordTrace(trace: RecordTrace): string {
  const r = trace.record;
  const lines = [`${r.table} ${r.eventId} (${r.eventType ?? 'event'})`];
  for (const step of trace.timeline) lines.push(`  ${when(step.at)}${step.step.padEnd(10)}${step.detail}`);
  if (!trace.landing) lines.push('  landing file: not found in ops.load_ledger');
  if (trace.models.length > 0) {
    lines.push('  model rows it fed:');
    for (const m of trace.models) {
      lines.push(`    ${m.relation}${m.more ? ' (first rows)' : ''}`);
      for (const row of m.rows) lines.push(`      ${rowText(row)}`);
    }
  }
  if (trace.syncs.length > 0) {
    lines.push('  destination writes:');
    for (const s of trace.syncs)
      lines.push(
        `    ${s.sync} → ${s.destination} ${s.object} ${s.matchKey}: ${s.status}${s.destinationId ? `, id ${s.destinationId}` : ''}${s.writtenAt ? ` at ${s.writtenAt}` : ''}${s.runId ? ` (run ${s.runId})` : ''}${s.message ? ` — ${s.message}` : ''}`,
      );
  }
  return lines.join('\n');
}

/** The human form of a whole trace. */
export function formatTrace(result: TraceResult): string {
  if (result.records.length === 0)
    return `no raw record has event id ${result.id}, and no payload mentions it (loaded records only: run "npx sluice load" first)`;
  const head =
    result.matchedBy === 'event_id'
      ? `trace of event ${result.id}`
      : `${result.records.length}${result.more ? '+' : ''} record(s) mention ${result.id} (newest first${result.more ? `; ${result.records.length} traced` : ''})`;
  return [head, ...result.records.map(formatRecordTrace)].join('\n\n');
}

/**
 * `sluice trace <id> [--json]`: follows a record (event id, Segment `messageId`, or an id inside payloads such
 * as a Stripe customer) through the pipeline. Goes through the running pipeline's admin route when one runs,
 * else opens the warehouse itself. Exits 1 when nothing matches.
 */
export async function traceCommand(
  id: string,
  options: { json?: boolean },
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const running = findRunningPipeline(home);
  const result = running
    ? await running.call<TraceResult>('POST', '/admin/trace', { id })
    : await withLocalPorts(home, configPath, (ports, config) =>
        traceLocally(id, config, ports, new FsModelSource(modelsDirectory(config, configPath))),
      );
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${formatTrace(result)}\n`);
  if (result.records.length === 0) process.exitCode = 1;
}
