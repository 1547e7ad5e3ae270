import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/** One statement (or batch) the fake Data API accepted. */
export interface FakeStatement {
  readonly id: string;
  readonly sqls: readonly string[];
  readonly withEvent: boolean | undefined;
  readonly clientToken: string | undefined;
  readonly statementName: string | undefined;
  status: 'STARTED' | 'FINISHED' | 'FAILED';
  rowCounts: number[];
  error?: string;
}

/**
 * A stand-in for the landing bucket and the Redshift Data API behind aws-sdk-client-mock: S3 keeps objects in
 * a map; the Data API keeps a tiny model of the warehouse (ids in `raw.app_events`, the ledger, staging
 * tables) and applies a statement's effects when it finishes. Statements matching {@link hold} stay STARTED
 * until {@link release}, which is how a test makes a COPY or a commit outlast an invocation; `ClientToken`
 * returns the statement it first started, as the Data API does.
 */
export class FakeDataApi {
  readonly s3 = mockClient(S3Client);
  readonly redshift = mockClient(RedshiftDataClient);
  readonly objects = new Map<string, Uint8Array>();
  readonly statements = new Map<string, FakeStatement>();
  /** Event ids in `raw.app_events`, in insertion order (a repeated id would show up twice). */
  readonly raw: string[] = [];
  /** Ledger rows as `file_key|load_id`. */
  readonly ledger: { fileKey: string; loadId: string }[] = [];
  /** Event ids per landing file URL (`s3://bucket/key`), read by COPY through the manifest. */
  readonly fileRows = new Map<string, readonly string[]>();
  private readonly stages = new Map<string, string[]>();
  private readonly tokens = new Map<string, string>();
  private holding: ((sqls: readonly string[]) => boolean) | undefined;
  private failing: ((sqls: readonly string[]) => boolean) | undefined;
  /** Make the next S3 PutObject of a key matching this fail (a crash before the state is saved). */
  failPut: ((key: string) => boolean) | undefined;

  constructor(private readonly bucket: string) {
    this.reset();
  }

  /** Statements matching `predicate` stay STARTED until {@link release}. */
  hold(predicate: (sqls: readonly string[]) => boolean): void {
    this.holding = predicate;
  }

  /** Statements matching `predicate` fail (once each call to this). */
  failOnce(predicate: (sqls: readonly string[]) => boolean): void {
    this.failing = predicate;
  }

  /** Finishes every held statement, applying its effects. */
  release(): void {
    this.holding = undefined;
    for (const statement of this.statements.values()) {
      if (statement.status === 'STARTED') this.finish(statement);
    }
  }

  /** Batches whose SQL matched, in start order. */
  started(predicate: (sqls: readonly string[]) => boolean): FakeStatement[] {
    return [...this.statements.values()].filter((s) => predicate(s.sqls));
  }

  reset(): void {
    this.s3.reset();
    this.redshift.reset();
    this.s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: Uint8Array | string }) => {
      if (this.failPut?.(input.Key)) {
        this.failPut = undefined;
        throw Object.assign(new Error('InternalError'), { name: 'InternalError' });
      }
      this.objects.set(input.Key, typeof input.Body === 'string' ? Buffer.from(input.Body) : input.Body);
      return {};
    });
    this.s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
      const body = this.objects.get(input.Key);
      if (!body) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
      return { Body: { transformToByteArray: async () => new Uint8Array(body) } };
    });
    this.s3.on(DeleteObjectCommand).callsFake((input: { Key: string }) => {
      this.objects.delete(input.Key);
      return {};
    });
    this.s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
      Contents: [...this.objects.entries()]
        .filter(([key]) => key.startsWith(input.Prefix))
        .map(([key, body]) => ({ Key: key, Size: body.byteLength, LastModified: new Date() })),
      IsTruncated: false,
    }));
    this.redshift
      .on(ExecuteStatementCommand)
      .callsFake(
        (input: { Sql: string; WithEvent?: boolean; ClientToken?: string; StatementName?: string }) =>
          this.start([input.Sql], input),
      );
    this.redshift
      .on(BatchExecuteStatementCommand)
      .callsFake(
        (input: { Sqls: string[]; WithEvent?: boolean; ClientToken?: string; StatementName?: string }) =>
          this.start(input.Sqls, input),
      );
    this.redshift.on(DescribeStatementCommand).callsFake((input: { Id: string }) => {
      const statement = this.statements.get(input.Id);
      if (!statement) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
      return {
        Id: statement.id,
        Status: statement.status,
        Error: statement.error,
        QueryString: statement.sqls[0],
        HasResultSet: /^SELECT/.test(statement.sqls.at(-1) ?? ''),
        SubStatements:
          statement.sqls.length > 1
            ? statement.sqls.map((sql, i) => ({
                Id: `${statement.id}:${i + 1}`,
                Status: statement.status,
                QueryString: sql,
                ResultRows: statement.rowCounts[i] ?? 0,
              }))
            : undefined,
      };
    });
    this.redshift.on(GetStatementResultCommand).callsFake((input: { Id: string }) => this.result(input.Id));
  }

  private start(
    sqls: readonly string[],
    input: { WithEvent?: boolean; ClientToken?: string; StatementName?: string },
  ): { Id: string } {
    if (input.ClientToken !== undefined) {
      const known = this.tokens.get(input.ClientToken);
      if (known) return { Id: known };
    }
    const id = `st-${this.statements.size + 1}`;
    const statement: FakeStatement = {
      id,
      sqls,
      withEvent: input.WithEvent,
      clientToken: input.ClientToken,
      statementName: input.StatementName,
      status: 'STARTED',
      rowCounts: [],
    };
    this.statements.set(id, statement);
    if (input.ClientToken !== undefined) this.tokens.set(input.ClientToken, id);
    if (this.failing?.(sqls)) {
      this.failing = undefined;
      statement.status = 'FAILED';
      statement.error = 'ERROR: injected failure';
    } else if (!this.holding?.(sqls)) this.finish(statement);
    return { Id: id };
  }

  /** Applies a statement's effects to the model and marks it FINISHED. */
  private finish(statement: FakeStatement): void {
    for (const sql of statement.sqls) statement.rowCounts.push(this.apply(sql));
    statement.status = 'FINISHED';
  }

  private apply(sql: string): number {
    const copy = /^COPY (\S+) .* FROM '([^']+)'/.exec(sql);
    if (copy) {
      const manifestKey = (copy[2] ?? '').replace(`s3://${this.bucket}/`, '');
      const manifest = JSON.parse(Buffer.from(this.objects.get(manifestKey) ?? '{}').toString()) as {
        entries: { url: string }[];
      };
      const rows = manifest.entries.flatMap((e) => this.fileRows.get(e.url) ?? []);
      this.stages.set(copy[1] ?? '', [...(this.stages.get(copy[1] ?? '') ?? []), ...rows]);
      return rows.length;
    }
    const create = /^CREATE TABLE (ops\.stage_\S+)/.exec(sql);
    if (create) this.stages.set(create[1] ?? '', []);
    const drop = /^DROP TABLE IF EXISTS (\S+)/.exec(sql);
    if (drop) this.stages.delete(drop[1] ?? '');
    const deleteLedger = /^DELETE FROM ops\.load_ledger WHERE load_id = '([^']+)'/.exec(sql);
    if (deleteLedger) {
      const before = this.ledger.length;
      this.ledger.splice(
        0,
        this.ledger.length,
        ...this.ledger.filter((row) => row.loadId !== deleteLedger[1]),
      );
      return before - this.ledger.length;
    }
    const insertRaw = /^INSERT INTO raw\.app_events[\s\S]*?(ops\.stage_\w+)/.exec(sql);
    if (insertRaw) {
      let inserted = 0;
      for (const id of new Set(this.stages.get(insertRaw[1] ?? '') ?? [])) {
        if (this.raw.includes(id)) continue;
        this.raw.push(id);
        inserted += 1;
      }
      return inserted;
    }
    if (sql.startsWith('INSERT INTO ops.load_ledger')) {
      const rows = [...sql.matchAll(/\('([^']+)', '[^']*', '[^']*', \d+, '([^']+)'/g)];
      for (const row of rows) this.ledger.push({ fileKey: row[1] ?? '', loadId: row[2] ?? '' });
      return rows.length;
    }
    return 0;
  }

  private result(id: string): unknown {
    const one = (name: string, value: number | string) => ({
      ColumnMetadata: [{ name }],
      Records: [[typeof value === 'number' ? { longValue: value } : { stringValue: value }]],
      TotalNumRows: 1,
    });
    const [statementId, sub] = id.split(':');
    const statement = this.statements.get(statementId ?? '');
    const sql = statement?.sqls[sub ? Number(sub) - 1 : 0] ?? '';
    if (sql.includes('pg_last_copy_count')) return one('rows_loaded', statement?.rowCounts[0] ?? 0);
    const stage = /COUNT\(DISTINCT event_id\) AS n FROM (\S+)/.exec(sql);
    if (stage) {
      const rows = this.stages.get(stage[1] ?? '') ?? [];
      return one('n', rows.length - new Set(rows).size);
    }
    if (sql.startsWith('SELECT COUNT(*) AS n FROM raw.app_events')) return one('n', this.raw.length);
    if (sql.startsWith('SELECT file_key FROM ops.load_ledger')) {
      return {
        ColumnMetadata: [{ name: 'file_key' }],
        Records: this.ledger.map((row) => [{ stringValue: row.fileKey }]),
        TotalNumRows: this.ledger.length,
      };
    }
    return { ColumnMetadata: [{ name: 'n' }], Records: [], TotalNumRows: 0 };
  }
}
