import type { SyncConfig } from '../config/config-types.js';
import type { ObjectStore, Warehouse } from '../ports.js';
import type { ModelSource } from '../transform/model-source.js';
import { Project } from '../transform/project.js';
import { findLandingFile } from './find-landing-file.js';
import { findRawRecords } from './find-raw-records.js';
import { followLineage } from './model-lineage.js';
import { findSyncWrites } from './sync-writes.js';
import type { RecordTrace, TraceResult, TraceStep } from './trace-types.js';

/** What a trace reads: the warehouse, the landing zone, the models project and the configured syncs. */
export interface TraceInputs {
  readonly warehouse: Warehouse;
  readonly objects: ObjectStore;
  /** The models project; without it the trace stops at the raw table. */
  readonly models?: ModelSource;
  readonly syncs: readonly SyncConfig[];
  /** The time models are compiled as of (`run_started_at`). */
  readonly now: Date;
}

/** The steps of one record's path, in path order (received → … → synced), each kind by time. */
export function timelineOf(trace: Omit<RecordTrace, 'timeline'>): TraceStep[] {
  const r = trace.record;
  const steps: TraceStep[] = [
    {
      at: r.occurredAt,
      step: 'occurred',
      detail: `${r.eventType ?? 'event'} ${r.eventId} happened at the source`,
    },
    { at: r.receivedAt, step: 'received', detail: `accepted by the ${r.source} route and queued` },
  ];
  if (trace.landing)
    steps.push({
      at: trace.landing.writtenAt ?? trace.landing.loadedAt,
      step: 'landed',
      detail: `${trace.landing.confirmed ? 'held in' : 'loaded from (not opened)'} ${trace.landing.fileKey}`,
    });
  steps.push({
    at: r.loadedAt,
    step: 'loaded',
    detail: `inserted into ${r.table}${trace.landing ? ` by ${trace.landing.loadId}` : ''}`,
  });
  for (const m of trace.models)
    steps.push({
      at: m.builtAt,
      step: 'modelled',
      detail: `${m.relation}: ${m.rows.length}${m.more ? '+' : ''} row(s) where ${m.matchedOn.join(' and ')}${m.runId ? ` (${m.runId})` : ''}`,
    });
  for (const s of trace.syncs)
    steps.push({
      at: s.writtenAt,
      step: 'synced',
      detail:
        s.status === 'pending'
          ? `${s.sync}: ${s.matchKey} not written to ${s.destination} ${s.object} yet`
          : `${s.sync}: ${s.operation ?? 'write'} ${s.destination} ${s.object} ${s.matchKey}${s.destinationId ? ` (id ${s.destinationId})` : ''} → ${s.status}${s.message ? `: ${s.message}` : ''}${s.afterRecord ? '' : ' (before this record was loaded)'}`,
    });
  // The path is causal, so steps keep its order; steps of one kind (models, writes) go by time, unknown last.
  const order = ['occurred', 'received', 'landed', 'loaded', 'modelled', 'synced'];
  const time = (at: string | null): number => (at === null ? Infinity : Date.parse(at));
  return steps
    .map((s, i) => ({ s, i }))
    .sort(
      (a, b) => order.indexOf(a.s.step) - order.indexOf(b.s.step) || time(a.s.at) - time(b.s.at) || a.i - b.i,
    )
    .map(({ s }) => s);
}

/**
 * `sluice trace <id>`: a record's whole path — received, landed in which file, loaded when into which table,
 * which model rows it fed (down the DAG to the marts), and which destination write carried those rows with
 * the destination's answer. Works on DuckDB and Redshift alike (ports only); read-only.
 */
export async function traceRecord(id: string, inputs: TraceInputs): Promise<TraceResult> {
  const found = await findRawRecords(inputs.warehouse, id);
  let project: Project | undefined;
  if (inputs.models && found.records.length > 0) {
    project = await Project.load(inputs.models, {
      dialect: inputs.warehouse.dialect,
      runStartedAt: inputs.now,
    });
  }
  const records: RecordTrace[] = [];
  for (const record of found.records) {
    const landing = await findLandingFile(inputs, record);
    const models = project
      ? await followLineage(
          inputs.warehouse,
          project,
          record,
          found.matchedBy === 'external_id' ? id : undefined,
        )
      : [];
    const syncs = await findSyncWrites(inputs.warehouse, inputs.syncs, models, record.loadedAt);
    const partial = { record, landing, models, syncs };
    records.push({ ...partial, timeline: timelineOf(partial) });
  }
  return { id, matchedBy: found.matchedBy, records, more: found.more };
}
