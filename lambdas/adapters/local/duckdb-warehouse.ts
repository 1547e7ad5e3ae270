/**
 * The local warehouse: a {@link Warehouse} over an embedded DuckDB database file, standing in for Redshift so
 * the load, transform, sync and monitor steps run on a laptop with the same SQL contract (`?` parameters, plain
 * rows, atomic transactions, bulk loads of the landing files).
 */
import { randomUUID } from 'node:crypto';
import { DuckDBInstance, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type {
  BackgroundStatements,
  BulkLoadRequest,
  Row,
  SqlValue,
  StatementState,
  Warehouse,
} from '../../core/ports.js';
import { WarehouseError } from '../../core/errors.js';
import { fromDuckDBValue, toDuckDBParam } from './duckdb-values.js';

/** DuckDB column types for the bulk-load column kinds. */
const BULK_TYPES = { text: 'VARCHAR', timestamp: 'TIMESTAMPTZ', json: 'JSON' } as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Background statement outcomes kept for {@link DuckDbWarehouse.background}. */
const MAX_REMEMBERED = 1000;

/**
 * Bounds on the footprint of the embedded DuckDB. Its defaults (`memory_limit` 80% of RAM, one thread per
 * core) suit a dedicated server; on a laptop its buffer manager keeps cached blocks of the growing raw tables
 * until that limit, which reads as a pipeline whose memory never stops growing.
 */
export interface DuckDbSettings {
  /** DuckDB `memory_limit`, e.g. `512MB` or `2GB` (env `SLUICE_DUCKDB_MEMORY_LIMIT`). */
  readonly memoryLimit?: string;
  /** DuckDB `threads` (env `SLUICE_DUCKDB_THREADS`); DuckDB's default, one per core, when absent. */
  readonly threads?: string;
}

/** The `memory_limit` of the local warehouse when `SLUICE_DUCKDB_MEMORY_LIMIT` is not set. */
export const DEFAULT_DUCKDB_MEMORY_LIMIT = '1GB';

/** The {@link DuckDbSettings} from the environment, with {@link DEFAULT_DUCKDB_MEMORY_LIMIT} by default. */
export function duckDbSettingsFromEnv(env: NodeJS.ProcessEnv): DuckDbSettings {
  const threads = env['SLUICE_DUCKDB_THREADS']?.trim();
  return {
    memoryLimit: env['SLUICE_DUCKDB_MEMORY_LIMIT']?.trim() || DEFAULT_DUCKDB_MEMORY_LIMIT,
    ...(threads ? { threads } : {}),
  };
}

/** Quotes a validated identifier; refusing anything else keeps names out of reach of SQL injection. */
function quoteIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name))
    throw new WarehouseError(`bulk load: invalid ${what} name ${JSON.stringify(name)}`);
  return `"${name}"`;
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A one-line summary of a statement for error messages (never its parameters, which may hold personal data). */
const summary = (sql: string): string => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
};

/**
 * A {@link Warehouse} on one DuckDB connection. DuckDB allows one writing process per file, and a connection
 * has one transaction at a time, so every call is queued on an internal promise chain: a caller's statement
 * can never land inside another caller's transaction.
 */
export class DuckDbWarehouse implements Warehouse {
  readonly dialect = 'duckdb' as const;
  /** The database file path, or `:memory:`. */
  readonly path: string;
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly outcomes = new Map<string, StatementState>();
  private statementCount = 0;
  /** Tells this process's background statement ids from those of an earlier process on the same file. */
  private readonly instanceId = randomUUID().slice(0, 8);

  private constructor(path: string, instance: DuckDBInstance, connection: DuckDBConnection) {
    this.path = path;
    this.instance = instance;
    this.connection = connection;
  }

  /**
   * Opens (creating if needed) the database at `path` (`:memory:` for a throwaway one) with the session time
   * zone set to UTC, so timestamps without an offset mean UTC as they do on Redshift, and its footprint
   * bounded by `settings` (from the environment by default). A setting DuckDB rejects fails the open.
   */
  static async open(
    path: string,
    settings: DuckDbSettings = duckDbSettingsFromEnv(process.env),
  ): Promise<DuckDbWarehouse> {
    let instance: DuckDBInstance | undefined;
    try {
      instance = await DuckDBInstance.create(path, {
        ...(settings.memoryLimit ? { memory_limit: settings.memoryLimit } : {}),
        ...(settings.threads ? { threads: settings.threads } : {}),
      });
      const connection = await instance.connect();
      await connection.run("SET TimeZone = 'UTC'");
      return new DuckDbWarehouse(path, instance, connection);
    } catch (error) {
      instance?.closeSync();
      throw new WarehouseError(`could not open DuckDB database ${path}: ${reason(error)}`, { cause: error });
    }
  }

  execute(sql: string, params?: readonly SqlValue[]): Promise<void> {
    return this.serial(async () => {
      await this.run(sql, params);
    });
  }

  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.serial(async () => {
      const reader = await this.run(sql, params);
      const names = reader.deduplicatedColumnNames();
      return reader.getRows().map((values) => {
        const row: Row = {};
        values.forEach((value, i) => {
          row[names[i] ?? `column${i}`] = fromDuckDBValue(value);
        });
        return row as T;
      });
    });
  }

  transaction(statements: readonly string[]): Promise<void> {
    return this.serial(async () => {
      await this.runTransaction(statements);
    });
  }

  bulkLoad(request: BulkLoadRequest): Promise<number> {
    return this.serial(() => this.runBulkLoad(request));
  }

  /**
   * `read_json` over the files with one typed column per entry of `columns`: lets the load insert straight
   * from the landing files inside its commit transaction instead of copying them into a staging table first.
   */
  scanFiles(files: readonly string[], columns: BulkLoadRequest['columns']): string {
    const list = files.map((file) => `'${file.replace(/'/g, "''")}'`).join(', ');
    const spec = columns
      .map((c) => `'${quoteIdentifier(c.name, 'column').slice(1, -1)}': '${BULK_TYPES[c.type]}'`)
      .join(', ');
    return `read_json([${list}], format = 'newline_delimited', compression = 'gzip', columns = {${spec}})`;
  }

  /**
   * Background statements that finish before `start…` resolves (DuckDB runs in this process), with their
   * outcome remembered by id for {@link BackgroundStatements.state}. A restarted process knows none of the
   * ids of the one before it, so they read as failed and the caller redoes that step.
   */
  readonly background: BackgroundStatements = {
    startTransaction: (statements) =>
      this.serial(async () => {
        try {
          return this.remember({ status: 'finished', rowCounts: await this.runTransaction(statements) });
        } catch (error) {
          return this.remember({ status: 'failed', reason: reason(error) });
        }
      }),
    startBulkLoad: (request) =>
      this.serial(async () => {
        try {
          const rows = await this.runBulkLoad(request);
          return this.remember({ status: 'finished', rowCounts: [rows] });
        } catch (error) {
          return this.remember({ status: 'failed', reason: reason(error) });
        }
      }),
    state: async (id) =>
      this.outcomes.get(id) ?? {
        status: 'failed',
        reason: `statement ${id} is unknown to this DuckDB process (it was restarted)`,
      },
    bulkLoadRows: async (id) => {
      const outcome = this.outcomes.get(id);
      if (outcome?.status !== 'finished')
        throw new WarehouseError(`bulk load ${id} did not finish in this DuckDB process`);
      return outcome.rowCounts?.[0] ?? 0;
    },
  };

  /** Waits for queued statements, then closes the connection and the database file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => undefined);
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Records the outcome of a background statement and returns its new id (the last 1,000 are kept). */
  private remember(outcome: StatementState): string {
    this.statementCount += 1;
    const id = `duckdb-${this.instanceId}-${this.statementCount}`;
    this.outcomes.set(id, outcome);
    if (this.outcomes.size > MAX_REMEMBERED) {
      const oldest = this.outcomes.keys().next().value;
      if (oldest !== undefined) this.outcomes.delete(oldest);
    }
    return id;
  }

  /** Runs statements in one transaction on the connection (callers hold the serial lock); returns rows changed. */
  private async runTransaction(statements: readonly string[]): Promise<number[]> {
    await this.run('BEGIN TRANSACTION');
    const counts: number[] = [];
    for (const [i, sql] of statements.entries()) {
      try {
        counts.push(Number((await this.connection.run(sql)).rowsChanged));
      } catch (error) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw new WarehouseError(
          `transaction rolled back: statement ${i + 1} of ${statements.length} (${summary(sql)}) failed: ${reason(error)}`,
          { cause: error },
        );
      }
    }
    try {
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw new WarehouseError(`transaction rolled back: commit failed: ${reason(error)}`, {
        cause: error,
      });
    }
    return counts;
  }

  /** Inserts the rows of gzip NDJSON files into a table (callers hold the serial lock); returns rows loaded. */
  private async runBulkLoad(request: BulkLoadRequest): Promise<number> {
    if (request.files.length === 0) return 0;
    const table = request.table
      .split('.')
      .map((part) => quoteIdentifier(part, 'table'))
      .join('.');
    const columns = request.columns.map((c) => quoteIdentifier(c.name, 'column'));
    const spec = request.columns.map((c) => `'${c.name}': '${BULK_TYPES[c.type]}'`).join(', ');
    const sql =
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM read_json(?, ` +
      `format = 'newline_delimited', compression = 'gzip', columns = {${spec}})`;
    try {
      const reader = await this.connection.runAndReadAll(
        sql,
        [listValue([...request.files])],
        [LIST(VARCHAR)],
      );
      return reader.rowsChanged;
    } catch (error) {
      throw new WarehouseError(
        `bulk load of ${request.files.length} file(s) into ${request.table} failed: ${reason(error)}`,
        { cause: error },
      );
    }
  }

  /** Runs `work` after every call queued before it, whatever their outcome. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new WarehouseError(`DuckDB database ${this.path} is closed`));
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Runs one statement with its parameters bound, mapping DuckDB failures to {@link WarehouseError}. */
  private async run(sql: string, params?: readonly SqlValue[]) {
    try {
      const values = params?.map(toDuckDBParam);
      return await this.connection.runAndReadAll(sql, values);
    } catch (error) {
      if (error instanceof WarehouseError) throw error;
      throw new WarehouseError(`statement failed (${summary(sql)}): ${reason(error)}`, { cause: error });
    }
  }
}
