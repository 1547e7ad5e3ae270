import type { Dialect } from '../ports.js';

/**
 * `ops.sync_writes`: the last write of every record each sync sent, so that `sluice trace` can follow a
 * record to the destination call that carried it and what the destination answered. One row per
 * `(sync_name, match_key)`, replaced on every write of that record (bounded by the model's size):
 *
 * - `sync_name` — the sync (`syncs[].name`);
 * - `match_key` — the record's match key value as text (the destination's external id);
 * - `run_id` — the `ops.sync_runs.run_id` of the run that made the call;
 * - `operation` — `upsert`, `update` or `delete`;
 * - `written_at` — when the destination answered (TIMESTAMPTZ);
 * - `destination_id` — the destination's own record id when its answer carries one (Salesforce `Id`,
 *   HubSpot object id, Zendesk organization/user id), else NULL;
 * - `status` — `ok` (the destination accepted the record) or `error` (it refused it);
 * - `message` — the destination's error message when refused, else NULL.
 */
export const SYNC_WRITES_TABLE = 'ops.sync_writes';

/**
 * The sync engine's own tables in `ops`, created idempotently before every run. `ops.sync_state` is the
 * warehouse-side memory of what each sync last wrote successfully (one hash per record), which is what lets a
 * run send only what changed; `ops.sync_runs` the run history; `ops.sync_rejections` every refused record;
 * `ops.sync_writes` the last write per record (see {@link SYNC_WRITES_TABLE}).
 */
export function syncTablesDdl(dialect: Dialect): string[] {
  const text = (width: number): string => (dialect === 'redshift' ? `VARCHAR(${width})` : 'VARCHAR');
  return [
    'CREATE SCHEMA IF NOT EXISTS ops',
    `CREATE TABLE IF NOT EXISTS ops.sync_state (sync_name ${text(128)} NOT NULL, match_key ${text(1024)} NOT NULL, row_hash ${text(32)} NOT NULL, synced_at TIMESTAMPTZ NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ops.sync_runs (run_id ${text(64)} NOT NULL, sync_name ${text(128)} NOT NULL, destination ${text(32)} NOT NULL, status ${text(16)} NOT NULL, full_resync BOOLEAN NOT NULL, added BIGINT NOT NULL, changed BIGINT NOT NULL, removed BIGINT NOT NULL, sent BIGINT NOT NULL, succeeded BIGINT NOT NULL, failed BIGINT NOT NULL, api_calls BIGINT NOT NULL, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ NOT NULL, duration_ms BIGINT NOT NULL, error ${text(4096)})`,
    `CREATE TABLE IF NOT EXISTS ops.sync_rejections (run_id ${text(64)} NOT NULL, sync_name ${text(128)} NOT NULL, match_key ${text(1024)} NOT NULL, operation ${text(16)} NOT NULL, error ${text(4096)} NOT NULL, rejected_at TIMESTAMPTZ NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${SYNC_WRITES_TABLE} (sync_name ${text(128)} NOT NULL, match_key ${text(1024)} NOT NULL, run_id ${text(64)} NOT NULL, operation ${text(16)} NOT NULL, written_at TIMESTAMPTZ NOT NULL, destination_id ${text(255)}, status ${text(8)} NOT NULL, message ${text(4096)})`,
  ];
}
