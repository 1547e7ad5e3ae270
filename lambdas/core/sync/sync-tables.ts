import type { Dialect } from '../ports.js';

/**
 * The sync engine's own tables in `ops`. `ops.sync_state` is the warehouse-side memory of what each sync
 * last wrote successfully (one hash per record), which is what lets a run send only what changed.
 */
export function syncTablesDdl(dialect: Dialect): string[] {
  const text = (width: number): string => (dialect === 'redshift' ? `VARCHAR(${width})` : 'VARCHAR');
  return [
    'CREATE SCHEMA IF NOT EXISTS ops',
    `CREATE TABLE IF NOT EXISTS ops.sync_state (sync_name ${text(128)} NOT NULL, match_key ${text(1024)} NOT NULL, row_hash ${text(32)} NOT NULL, synced_at TIMESTAMPTZ NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ops.sync_runs (run_id ${text(64)} NOT NULL, sync_name ${text(128)} NOT NULL, destination ${text(32)} NOT NULL, status ${text(16)} NOT NULL, full_resync BOOLEAN NOT NULL, added BIGINT NOT NULL, changed BIGINT NOT NULL, removed BIGINT NOT NULL, sent BIGINT NOT NULL, succeeded BIGINT NOT NULL, failed BIGINT NOT NULL, api_calls BIGINT NOT NULL, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ NOT NULL, duration_ms BIGINT NOT NULL, error ${text(4096)})`,
    `CREATE TABLE IF NOT EXISTS ops.sync_rejections (run_id ${text(64)} NOT NULL, sync_name ${text(128)} NOT NULL, match_key ${text(1024)} NOT NULL, operation ${text(16)} NOT NULL, error ${text(4096)} NOT NULL, rejected_at TIMESTAMPTZ NOT NULL)`,
  ];
}
