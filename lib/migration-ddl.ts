import { createHash } from 'node:crypto';
import { quarantineTarget } from '../lambdas/core/load/load-targets.js';
import { opsSchemaDdl, rawTableDdl } from '../lambdas/core/load/warehouse-schema.js';
import { monitorTablesDdl } from '../lambdas/core/monitor/monitor-tables.js';
import { syncTablesDdl } from '../lambdas/core/sync/sync-tables.js';
import { transformOpsDdl } from '../lambdas/core/transform/ops-tables.js';

/**
 * The warehouse DDL the migration applies on deploy, for Redshift: load's schemas and ledger, one raw table
 * per source, the quarantine, and the transform's, sync's and monitor's ops tables — taken from the steps' own modules,
 * so each table has one definition — without duplicates and in a stable order (so its hash is stable).
 */
export function migrationDdl(rawSources: readonly string[]): string[] {
  const statements = [
    ...opsSchemaDdl('redshift'),
    ...[...new Set(rawSources)].sort().map((source) => rawTableDdl('redshift', source)),
    quarantineTarget('redshift').createTable,
    ...transformOpsDdl('redshift'),
    ...syncTablesDdl('redshift'),
    ...monitorTablesDdl('redshift'),
  ];
  return [...new Set(statements)];
}

/** SHA-256 (hex) of statements: the value a reviewer compares between deploys. */
export function ddlHash(statements: readonly string[]): string {
  return createHash('sha256').update(statements.join(';\n')).digest('hex');
}
