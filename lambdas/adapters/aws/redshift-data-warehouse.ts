/**
 * The AWS warehouse: a {@link Warehouse} over Redshift (Serverless or provisioned) through the Redshift Data
 * API, which needs no VPC access, drivers or connection pool from Lambda — every statement is an HTTPS call,
 * then polled until it finishes.
 *
 * IAM actions it needs: `redshift-data:ExecuteStatement`, `redshift-data:BatchExecuteStatement`,
 * `redshift-data:DescribeStatement` and `redshift-data:GetStatementResult`; plus, for temporary credentials,
 * `redshift-serverless:GetCredentials` on the workgroup (Serverless) or `redshift:GetClusterCredentials` on the
 * cluster's `dbuser:` and `dbname:` resources (provisioned). The role named by `copyRoleArn` must be associated
 * with the namespace or cluster and may `s3:GetObject` and `s3:ListBucket` the landing bucket; Redshift assumes
 * it for `COPY`, this function never does.
 */
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type DescribeStatementResponse,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { WarehouseError } from '../../core/errors.js';
import type {
  BackgroundStatements,
  BulkLoadRequest,
  Row,
  SqlValue,
  StatementState,
  Warehouse,
} from '../../core/ports.js';
import { copyStatement } from './redshift-copy-sql.js';
import { toRows } from './redshift-result-rows.js';
import { bindParameters } from './redshift-sql-parameters.js';

/** A Redshift Serverless workgroup, authenticated with temporary credentials of the caller's IAM identity. */
export interface RedshiftServerlessTarget {
  readonly workgroupName: string;
  readonly database: string;
}

/** A provisioned cluster, authenticated as `dbUser` with temporary credentials. */
export interface RedshiftClusterTarget {
  readonly clusterIdentifier: string;
  readonly database: string;
  readonly dbUser: string;
}

/** Where statements run. */
export type RedshiftTarget = RedshiftServerlessTarget | RedshiftClusterTarget;

/** How long to wait for statements and between polls. */
export interface StatementPolling {
  /** First pause between `DescribeStatement` calls (default 50 ms); it doubles after every poll. */
  readonly initialDelayMs?: number;
  /** Longest pause between polls (default 2 s). */
  readonly maxDelayMs?: number;
  /** Give up waiting after this long (default 10 minutes); the statement keeps running in Redshift. */
  readonly timeoutMs?: number;
}

/** Everything the adapter needs. */
export interface RedshiftDataWarehouseOptions {
  /** The Data API client; injected so that tests can mock it and composition roots can share one. */
  readonly client: RedshiftDataClient;
  readonly target: RedshiftTarget;
  /** Role Redshift assumes to read landing files in `COPY`. */
  readonly copyRoleArn: string;
  /** Name given to every statement, so they can be found in `ListStatements` and the query history. */
  readonly statementName?: string;
  readonly polling?: StatementPolling;
  /** Pauses between polls; injectable so tests never wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Current time in milliseconds, for the polling timeout; injectable alongside `sleep`. */
  readonly now?: () => number;
}

/** Options of a statement started without waiting for it. */
export interface StartOptions {
  /**
   * Ask the Data API to put an event on the default EventBridge bus when the statement finishes, so that a
   * long load can be picked up by a rule instead of a Lambda waiting for it.
   */
  readonly withEvent?: boolean;
  /**
   * Data API `ClientToken`: a start repeated with the same token returns the statement already started
   * rather than running it again (for a caller that crashed before recording the id).
   */
  readonly clientToken?: string;
}

/** The Data API runs at most this many statements in one `BatchExecuteStatement`. */
const MAX_BATCH_STATEMENTS = 40;

const TERMINAL = new Set(['FINISHED', 'FAILED', 'ABORTED']);

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A short, single-line excerpt of a statement for error messages. */
export function sqlExcerpt(sql: string | undefined, length = 120): string {
  const flat = (sql ?? '').replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

/**
 * A {@link Warehouse} over the Redshift Data API. `?` parameters become Data API named parameters,
 * `transaction` is one `BatchExecuteStatement` (whose statements Redshift runs as a single transaction), and
 * `bulkLoad` is a `COPY` followed, in the same batch and so the same session, by `pg_last_copy_count()`.
 * `executeAsync`/`waitFor` and `startBulkLoad`/`finishBulkLoad` split the long calls in two so a caller can
 * start a load in one invocation and collect it in another.
 */
export class RedshiftDataWarehouse implements Warehouse {
  readonly dialect = 'redshift' as const;
  readonly #client: RedshiftDataClient;
  readonly #target: RedshiftTarget;
  readonly #copyRoleArn: string;
  readonly #statementName: string;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(options: RedshiftDataWarehouseOptions) {
    this.#client = options.client;
    this.#target = options.target;
    this.#copyRoleArn = options.copyRoleArn;
    this.#statementName = options.statementName ?? 'sluice';
    this.#initialDelayMs = options.polling?.initialDelayMs ?? 50;
    this.#maxDelayMs = options.polling?.maxDelayMs ?? 2_000;
    this.#timeoutMs = options.polling?.timeoutMs ?? 10 * 60_000;
    this.#sleep = options.sleep ?? realSleep;
    this.#now = options.now ?? Date.now;
  }

  async execute(sql: string, params?: readonly SqlValue[]): Promise<void> {
    await this.waitFor(await this.executeAsync(sql, params));
  }

  async query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    const id = await this.executeAsync(sql, params);
    const description = await this.waitFor(id);
    if (description.HasResultSet === false) return [];
    return (await this.#results(id)) as T[];
  }

  async transaction(statements: readonly string[]): Promise<void> {
    if (statements.length === 0) return;
    await this.waitFor(await this.#startBatch(statements, {}));
  }

  async bulkLoad(request: BulkLoadRequest): Promise<number> {
    return this.finishBulkLoad(await this.startBulkLoad(request));
  }

  /**
   * The Data API's statements are asynchronous by nature, so the {@link BackgroundStatements} extension maps
   * onto it directly: `startTransaction` is a `BatchExecuteStatement` (one transaction) with `ClientToken` and
   * `WithEvent`, `state` is one `DescribeStatement` (`ResultRows` of each sub-statement as its row count), and
   * `bulkLoadRows` reads the `pg_last_copy_count()` of a batch started by {@link startBulkLoad}. This is what
   * lets the load Lambda start a long COPY or commit, record the id and stop, and a later invocation — woken by
   * the statement's EventBridge event — pick it up, instead of one invocation waiting past its timeout.
   */
  readonly background: BackgroundStatements = {
    startTransaction: (statements, options = {}) =>
      this.#startBatch(statements, {
        ...(options.notify !== undefined ? { withEvent: options.notify } : {}),
        ...(options.token !== undefined ? { clientToken: options.token } : {}),
      }),
    startBulkLoad: (request, options = {}) =>
      this.startBulkLoad(request, {
        ...(options.notify !== undefined ? { withEvent: options.notify } : {}),
        ...(options.token !== undefined ? { clientToken: options.token } : {}),
      }),
    state: (id) => this.#state(id),
    bulkLoadRows: async (id) => {
      const [row] = await this.#results(`${id}:2`);
      return Number(row?.rows_loaded ?? 0);
    },
  };

  /** Nothing to release: the Data API holds no connection, and the injected client belongs to the caller. */
  async close(): Promise<void> {}

  /**
   * Starts one statement and returns its Data API id without waiting. Throws {@link WarehouseError} when the
   * Data API refuses to start it.
   */
  async executeAsync(sql: string, params?: readonly SqlValue[], options: StartOptions = {}): Promise<string> {
    const bound = bindParameters(sql, params);
    const output = await this.#start(sql, () =>
      this.#client.send(
        new ExecuteStatementCommand({
          ...this.#targetFields(),
          Sql: bound.sql,
          Parameters: bound.parameters,
          StatementName: this.#statementName,
          WithEvent: options.withEvent,
          ClientToken: options.clientToken,
        }),
      ),
    );
    return output.Id as string;
  }

  /**
   * Polls `DescribeStatement` with exponential backoff until the statement is FINISHED (resolves with its
   * description), FAILED or ABORTED (throws {@link WarehouseError} with Redshift's reason and a SQL excerpt),
   * or the polling timeout passes (throws {@link WarehouseError}; the statement keeps running and can be
   * waited for again with the same id).
   */
  async waitFor(id: string): Promise<DescribeStatementResponse> {
    const deadline = this.#now() + this.#timeoutMs;
    let delay = this.#initialDelayMs;
    for (;;) {
      const description = await this.#client.send(new DescribeStatementCommand({ Id: id }));
      const status = description.Status ?? 'SUBMITTED';
      if (TERMINAL.has(status)) {
        if (status === 'FINISHED') return description;
        throw statementError(status, description);
      }
      const remaining = deadline - this.#now();
      if (remaining <= 0) {
        throw new WarehouseError(
          `statement ${id} did not finish within ${this.#timeoutMs} ms (last status ${status}): ${sqlExcerpt(description.QueryString)}`,
        );
      }
      await this.#sleep(Math.min(delay, remaining));
      delay = Math.min(delay * 2, this.#maxDelayMs);
    }
  }

  /**
   * Starts a bulk load — `COPY` then `SELECT pg_last_copy_count()` in one batch — and returns the batch id.
   *
   * Why `pg_last_copy_count()` and not `DescribeStatement`'s `ResultRows`: the function is documented to return
   * the rows loaded by the session's last `COPY`, and the statements of one batch share a session; `ResultRows`
   * is only documented as "rows returned or affected" and has been reported to read 0 after a `COPY` through the
   * Data API (aws/aws-sdk issues 333 and 356), while a separate `ExecuteStatement` would run in a new session
   * where the count is 0.
   */
  async startBulkLoad(request: BulkLoadRequest, options: StartOptions = {}): Promise<string> {
    return this.#startBatch(
      [copyStatement(request, this.#copyRoleArn), 'SELECT pg_last_copy_count() AS rows_loaded'],
      options,
    );
  }

  /** Waits for a batch started by {@link startBulkLoad} and returns the number of rows its `COPY` loaded. */
  async finishBulkLoad(id: string): Promise<number> {
    await this.waitFor(id);
    const [row] = await this.#results(`${id}:2`);
    return Number(row?.rows_loaded ?? 0);
  }

  async #startBatch(statements: readonly string[], options: StartOptions): Promise<string> {
    if (statements.length > MAX_BATCH_STATEMENTS) {
      throw new WarehouseError(
        `a transaction of ${statements.length} statements exceeds the Data API limit of ${MAX_BATCH_STATEMENTS}`,
      );
    }
    const output = await this.#start(statements.join('; '), () =>
      this.#client.send(
        new BatchExecuteStatementCommand({
          ...this.#targetFields(),
          Sqls: [...statements],
          ExecutionMode: 'TRANSACTION',
          StatementName: this.#statementName,
          WithEvent: options.withEvent,
          ClientToken: options.clientToken,
        }),
      ),
    );
    return output.Id as string;
  }

  /** Sends a start request, mapping a refusal (validation, too many active statements…) to a WarehouseError. */
  async #start<T extends { Id?: string | undefined }>(sql: string, request: () => Promise<T>): Promise<T> {
    let output: T;
    try {
      output = await request();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new WarehouseError(`Redshift refused the statement: ${reason} — ${sqlExcerpt(sql)}`, {
        cause: error,
      });
    }
    if (output.Id === undefined)
      throw new WarehouseError(`Redshift returned no statement id — ${sqlExcerpt(sql)}`);
    return output;
  }

  /** One look at a statement: running, finished (with per-statement row counts) or failed with the reason. */
  async #state(id: string): Promise<StatementState> {
    let description: DescribeStatementResponse;
    try {
      description = await this.#client.send(new DescribeStatementCommand({ Id: id }));
    } catch (error) {
      // Statements are kept 24 hours; an id past that (or from elsewhere) is gone, not merely unreachable.
      if ((error as { name?: string }).name === 'ResourceNotFoundException')
        return { status: 'failed', reason: `statement ${id} is unknown to the Data API` };
      throw new WarehouseError(`could not describe statement ${id}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const status = description.Status ?? 'SUBMITTED';
    if (status === 'FINISHED') {
      const subs = description.SubStatements ?? [];
      return {
        status: 'finished',
        rowCounts: subs.length > 0 ? subs.map((sub) => sub.ResultRows ?? 0) : [description.ResultRows ?? 0],
      };
    }
    if (status === 'FAILED' || status === 'ABORTED')
      return { status: 'failed', reason: statementError(status, description).message };
    return { status: 'running' };
  }

  /** Every row of a finished statement's result, following `NextToken` across pages. */
  async #results(id: string): Promise<Row[]> {
    const rows: Row[] = [];
    let token: string | undefined;
    let columns: Parameters<typeof toRows>[0] = [];
    do {
      const page = await this.#client.send(new GetStatementResultCommand({ Id: id, NextToken: token }));
      if (page.ColumnMetadata !== undefined && page.ColumnMetadata.length > 0) columns = page.ColumnMetadata;
      rows.push(...toRows(columns, page.Records ?? []));
      token = page.NextToken;
    } while (token !== undefined && token !== '');
    return rows;
  }

  #targetFields(): { WorkgroupName?: string; ClusterIdentifier?: string; DbUser?: string; Database: string } {
    const target = this.#target;
    if ('workgroupName' in target) return { WorkgroupName: target.workgroupName, Database: target.database };
    return { ClusterIdentifier: target.clusterIdentifier, DbUser: target.dbUser, Database: target.database };
  }
}

/**
 * The error of a FAILED or ABORTED statement: Redshift's reason and an excerpt of the failing SQL (for a
 * batch, the sub-statement that failed).
 */
function statementError(status: string, description: DescribeStatementResponse): WarehouseError {
  const failed = description.SubStatements?.find((sub) => sub.Status === 'FAILED' || sub.Error !== undefined);
  const reason = description.Error ?? failed?.Error ?? (status === 'ABORTED' ? 'aborted' : 'no reason given');
  const sql = failed?.QueryString ?? description.QueryString;
  return new WarehouseError(`Redshift statement ${status.toLowerCase()}: ${reason} — ${sqlExcerpt(sql)}`);
}
