import { randomBytes } from 'node:crypto';
import { WarehouseError } from '../errors.js';
import { LANDING_PREFIX, MANIFEST_PREFIX, QUARANTINE_PREFIX, parseLandingKey } from '../land/landing-key.js';
import type { ObjectInfo, Ports } from '../ports.js';
import { quarantineTarget, rawTarget, type LoadTarget } from './load-targets.js';
import { opsSchemaDdl } from './warehouse-schema.js';

/** The ports the load step uses. */
export type LoadPorts = Pick<Ports, 'objects' | 'warehouse' | 'bus' | 'clock' | 'metrics' | 'log'>;

/** Limits on one load batch: Redshift loads fastest from few large files, and a batch must finish in time. */
export interface LoadLimits {
  /** Files per COPY (default 1,000). */
  readonly maxFiles?: number;
  /** Compressed bytes per COPY (default 4 GiB). */
  readonly maxBytes?: number;
}

/** What one table received in a load. */
export interface TableLoad {
  readonly files: number;
  /** Rows read from the files (duplicates included). */
  readonly rowsStaged: number;
  /** New rows inserted (keys not seen before). */
  readonly rowsInserted: number;
}

/** Result of {@link loadLandingFiles}. */
export interface LoadResult {
  readonly loadId: string;
  /** Per table (`raw.stripe`, `ops.quarantine`). */
  readonly tables: Readonly<Record<string, TableLoad>>;
  /** Files that were already in the ledger, or not landing files at all, and were skipped. */
  readonly skippedFiles: number;
}

/** Progress callback for long loads (`sluice load` shows it). */
export type LoadProgress = (done: number, total: number, table: string) => void;

/** A landing file with what its key says about it. */
interface PendingFile extends ObjectInfo {
  readonly source: string;
  readonly target: string;
}

/**
 * The load step: loads every landing file not yet in `ops.load_ledger` exactly once — event files into
 * `raw.<source>`, quarantine files into `ops.quarantine`.
 *
 * Per target and batch of files: (re)create a staging table, bulk-load the files into it (COPY on Redshift,
 * read_json on DuckDB), then in one transaction insert only keys the target lacks and record the files in
 * the ledger. A crash before the commit leaves nothing behind that a re-run does not redo; a crash after it
 * leaves the files in the ledger, so a re-run skips them. Emits `sluice.load.completed` with per-table counts.
 */
export async function loadLandingFiles(
  ports: LoadPorts,
  limits: LoadLimits = {},
  onProgress?: LoadProgress,
): Promise<LoadResult> {
  const { warehouse, clock } = ports;
  const loadId = `load-${clock.now().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  try {
    for (const statement of opsSchemaDdl(warehouse.dialect)) await warehouse.execute(statement);
    const pending = await pendingFiles(ports);
    const tables: Record<string, TableLoad> = {};
    let done = 0;
    const total = pending.files.length;
    for (const [targetKey, files] of batchesByTarget(pending.files, limits)) {
      const target =
        targetKey === 'ops.quarantine'
          ? quarantineTarget(warehouse.dialect)
          : rawTarget(warehouse.dialect, files[0]?.source ?? '');
      const loaded = await loadBatch(target, files, `${loadId}-${done}`, loadId, ports);
      const previous = tables[target.table] ?? { files: 0, rowsStaged: 0, rowsInserted: 0 };
      tables[target.table] = {
        files: previous.files + files.length,
        rowsStaged: previous.rowsStaged + loaded.staged,
        rowsInserted: previous.rowsInserted + loaded.inserted,
      };
      done += files.length;
      onProgress?.(done, total, target.table);
    }
    const result: LoadResult = { loadId, tables, skippedFiles: pending.skipped };
    await ports.bus.publish('sluice.load.completed', {
      load_id: loadId,
      tables: Object.fromEntries(
        Object.entries(tables).map(([name, t]) => [name, { files: t.files, rows: t.rowsInserted }]),
      ),
    });
    return result;
  } catch (error) {
    ports.log.error('load failed', { load_id: loadId, reason: (error as Error).message });
    await ports.bus
      .publish('sluice.step.failed', { step: 'load', load_id: loadId, reason: (error as Error).message })
      .catch(() => undefined);
    throw error instanceof WarehouseError
      ? error
      : new WarehouseError(`load ${loadId} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Stage, bulk-load and commit one batch of files into one target; returns rows staged and inserted. */
async function loadBatch(
  target: LoadTarget,
  files: readonly PendingFile[],
  manifestId: string,
  loadId: string,
  ports: LoadPorts,
): Promise<{ staged: number; inserted: number }> {
  const { warehouse, objects, clock } = ports;
  const started = clock.now();
  await warehouse.execute(target.createTable);
  for (const statement of target.createStage) await warehouse.execute(statement);
  const manifest = `${MANIFEST_PREFIX}${manifestId}.json`;
  await objects.put(
    manifest,
    JSON.stringify({
      entries: files.map((f) => ({
        url: objects.locate(f.key),
        mandatory: true,
        meta: { content_length: f.size },
      })),
    }),
    { contentType: 'application/json' },
  );
  const staged = await warehouse.bulkLoad({
    table: target.stage,
    columns: target.columns,
    files: files.map((f) => objects.locate(f.key)),
    manifest: objects.locate(manifest),
  });
  const duplicates = Number((await warehouse.query<{ n: number }>(target.countStageDuplicates))[0]?.n ?? 0);
  const countRows = async (): Promise<number> =>
    Number((await warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${target.table}`))[0]?.n ?? 0);
  // Loads are serialized (one load Lambda at a time, one local worker), so the difference is this load's.
  const before = await countRows();
  await warehouse.transaction(
    target.commit(
      files.map((f) => ({ key: f.key, source: f.source, bytes: f.size })),
      loadId,
      clock.now(),
      duplicates > 0,
    ),
  );
  const inserted = (await countRows()) - before;
  await warehouse.execute(`DROP TABLE IF EXISTS ${target.stage}`);
  ports.metrics.record('load.rows', inserted, 'Count', { table: target.table });
  ports.metrics.record('load.duration', clock.now().getTime() - started.getTime(), 'Milliseconds', {
    table: target.table,
  });
  return { staged, inserted };
}

/** Landing and quarantine files not yet in the ledger, in key order. */
export async function pendingFiles(
  ports: Pick<LoadPorts, 'objects' | 'warehouse'>,
): Promise<{ files: PendingFile[]; skipped: number }> {
  const listed = [
    ...(await ports.objects.list(LANDING_PREFIX)),
    ...(await ports.objects.list(QUARANTINE_PREFIX)),
  ];
  const loaded = new Set(
    (await ports.warehouse.query<{ file_key: string }>('SELECT file_key FROM ops.load_ledger')).map(
      (r) => r.file_key,
    ),
  );
  const files: PendingFile[] = [];
  for (const file of listed) {
    const parsed = parseLandingKey(file.key);
    if (!parsed || loaded.has(file.key)) continue;
    files.push({
      ...file,
      source: parsed.source,
      target: parsed.zone === 'quarantine' ? 'ops.quarantine' : `raw.${parsed.source}`,
    });
  }
  return { files, skipped: listed.length - files.length };
}

function* batchesByTarget(
  files: readonly PendingFile[],
  limits: LoadLimits,
): Generator<[string, PendingFile[]]> {
  const maxFiles = limits.maxFiles ?? 1000;
  const maxBytes = limits.maxBytes ?? 4 * 1024 ** 3;
  const byTarget = new Map<string, PendingFile[]>();
  for (const file of files) {
    const list = byTarget.get(file.target);
    if (list) list.push(file);
    else byTarget.set(file.target, [file]);
  }
  for (const [target, list] of byTarget) {
    let batch: PendingFile[] = [];
    let bytes = 0;
    for (const file of list) {
      if (batch.length > 0 && (batch.length >= maxFiles || bytes + file.size > maxBytes)) {
        yield [target, batch];
        batch = [];
        bytes = 0;
      }
      batch.push(file);
      bytes += file.size;
    }
    if (batch.length > 0) yield [target, batch];
  }
}
