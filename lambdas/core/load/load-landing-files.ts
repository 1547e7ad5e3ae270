import { randomBytes } from 'node:crypto';
import { WarehouseError } from '../errors.js';
import { LANDING_PREFIX, MANIFEST_PREFIX, parseLandingKey } from '../land/landing-key.js';
import type { ObjectInfo, Ports } from '../ports.js';
import { commitStatements } from './load-statements.js';
import { ENVELOPE_COLUMNS, opsSchemaDdl, rawTable, rawTableDdl, stageTable, stageTableDdl } from './warehouse-schema.js';

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
  /** New rows inserted (ids not seen before). */
  readonly rowsInserted: number;
}

/** Result of {@link loadLandingFiles}. */
export interface LoadResult {
  readonly loadId: string;
  /** Per raw table (`raw.stripe`). */
  readonly tables: Readonly<Record<string, TableLoad>>;
  /** Landing files that were already in the ledger, or not landing files at all, and were skipped. */
  readonly skippedFiles: number;
}

/** Progress callback for long loads (`sluice load` shows it). */
export type LoadProgress = (done: number, total: number, table: string) => void;

/**
 * The load step: loads every landing file not yet in `ops.load_ledger` into `raw.<source>`, exactly once.
 *
 * Per source and batch of files: (re)create a staging table, bulk-load the files into it (COPY on Redshift,
 * read_json on DuckDB), then in one transaction insert only event ids the raw table lacks and record the files
 * in the ledger. A crash before the commit leaves nothing behind that a re-run does not redo; a crash after it
 * leaves the files in the ledger, so a re-run skips them. Emits `sluice.load.completed` with per-table counts.
 */
export async function loadLandingFiles(ports: LoadPorts, limits: LoadLimits = {}, onProgress?: LoadProgress): Promise<LoadResult> {
  const { warehouse, objects, clock } = ports;
  const loadId = `load-${clock.now().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  try {
    for (const statement of opsSchemaDdl(warehouse.dialect)) await warehouse.execute(statement);
    const pending = await pendingFiles(ports);
    const tables: Record<string, TableLoad> = {};
    const batches = [...batchesBySource(pending.files, limits)];
    let done = 0;
    const total = pending.files.length;
    for (const [source, files] of batches) {
      const started = clock.now();
      await warehouse.execute(rawTableDdl(warehouse.dialect, source));
      for (const statement of stageTableDdl(warehouse.dialect, source)) await warehouse.execute(statement);
      const manifest = `${MANIFEST_PREFIX}${loadId}-${source}-${done}.json`;
      await objects.put(
        manifest,
        JSON.stringify({
          entries: files.map((f) => ({ url: objects.locate(f.key), mandatory: true, meta: { content_length: f.size } })),
        }),
        { contentType: 'application/json' },
      );
      const staged = await warehouse.bulkLoad({
        table: stageTable(source),
        columns: ENVELOPE_COLUMNS,
        files: files.map((f) => objects.locate(f.key)),
        manifest: objects.locate(manifest),
      });
      const countRows = async (): Promise<number> =>
        Number((await warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${rawTable(source)}`))[0]?.n ?? 0);
      // Loads are serialized (one load Lambda at a time, one local worker), so the difference is this load's.
      const before = await countRows();
      const loadedAt = clock.now();
      await warehouse.transaction(
        commitStatements(
          source,
          files.map((f) => ({ key: f.key, bytes: f.size })),
          loadId,
          loadedAt,
        ),
      );
      const inserted = (await countRows()) - before;
      await warehouse.execute(`DROP TABLE IF EXISTS ${stageTable(source)}`);
      const table = rawTable(source);
      const previous = tables[table] ?? { files: 0, rowsStaged: 0, rowsInserted: 0 };
      tables[table] = {
        files: previous.files + files.length,
        rowsStaged: previous.rowsStaged + staged,
        rowsInserted: previous.rowsInserted + inserted,
      };
      done += files.length;
      ports.metrics.record('load.rows', inserted, 'Count', { table });
      ports.metrics.record('load.duration', clock.now().getTime() - started.getTime(), 'Milliseconds', { table });
      onProgress?.(done, total, table);
    }
    const result: LoadResult = { loadId, tables, skippedFiles: pending.skipped };
    await ports.bus.publish('sluice.load.completed', {
      load_id: loadId,
      tables: Object.fromEntries(Object.entries(tables).map(([name, t]) => [name, { files: t.files, rows: t.rowsInserted }])),
    });
    return result;
  } catch (error) {
    ports.log.error('load failed', { load_id: loadId, reason: (error as Error).message });
    await ports.bus
      .publish('sluice.step.failed', { step: 'load', load_id: loadId, reason: (error as Error).message })
      .catch(() => undefined);
    throw error instanceof WarehouseError ? error : new WarehouseError(`load ${loadId} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Landing files not yet in the ledger, in key order (oldest batch first within a partition). */
export async function pendingFiles(ports: Pick<LoadPorts, 'objects' | 'warehouse'>): Promise<{ files: ObjectInfo[]; skipped: number }> {
  const listed = await ports.objects.list(LANDING_PREFIX);
  const loaded = new Set(
    (await ports.warehouse.query<{ file_key: string }>('SELECT file_key FROM ops.load_ledger')).map((r) => r.file_key),
  );
  const files = listed.filter((f) => parseLandingKey(f.key) !== undefined && !loaded.has(f.key));
  return { files, skipped: listed.length - files.length };
}

function* batchesBySource(files: readonly ObjectInfo[], limits: LoadLimits): Generator<[string, ObjectInfo[]]> {
  const maxFiles = limits.maxFiles ?? 1000;
  const maxBytes = limits.maxBytes ?? 4 * 1024 ** 3;
  const bySource = new Map<string, ObjectInfo[]>();
  for (const file of files) {
    const source = parseLandingKey(file.key)?.source;
    if (source === undefined) continue;
    const list = bySource.get(source);
    if (list) list.push(file);
    else bySource.set(source, [file]);
  }
  for (const [source, list] of bySource) {
    let batch: ObjectInfo[] = [];
    let bytes = 0;
    for (const file of list) {
      if (batch.length > 0 && (batch.length >= maxFiles || bytes + file.size > maxBytes)) {
        yield [source, batch];
        batch = [];
        bytes = 0;
      }
      batch.push(file);
      bytes += file.size;
    }
    if (batch.length > 0) yield [source, batch];
  }
}
