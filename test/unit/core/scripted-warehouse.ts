import type {
  BackgroundOptions,
  BackgroundStatements,
  BulkLoadRequest,
  Row,
  StatementState,
  Warehouse,
} from '../../../lambdas/core/ports.js';

/** A statement started in the background, as the scripted warehouse saw it. */
export interface ScriptedStatement {
  readonly id: string;
  readonly kind: 'bulk' | 'transaction';
  readonly statements: readonly string[];
  readonly options: BackgroundOptions;
  state: StatementState;
}

/**
 * A warehouse for unit tests of the load's state machine: a Redshift-dialect model that knows just enough SQL
 * — the ledger's file keys, row counts per table, rows per staged file — and runs background statements that
 * a test can hold running ({@link hold}), fail ({@link fail}) and finish ({@link release}). Every landing file
 * holds {@link ROWS_PER_FILE} new rows.
 */
export class ScriptedWarehouse implements Warehouse {
  static readonly ROWS_PER_FILE = 2;
  readonly dialect = 'redshift' as const;
  readonly executed: string[] = [];
  readonly started: ScriptedStatement[] = [];
  readonly ledger: { key: string; loadId: string }[] = [];
  readonly rows = new Map<string, number>();
  private readonly staged = new Map<string, number>();
  private holding: ((s: ScriptedStatement) => boolean) | undefined;
  private failing: ((s: ScriptedStatement) => boolean) | undefined;

  /** Background statements matching `predicate` stay running until {@link release}. */
  hold(predicate: (s: ScriptedStatement) => boolean): void {
    this.holding = predicate;
  }

  /** Background statements matching `predicate` fail. */
  fail(predicate: ((s: ScriptedStatement) => boolean) | undefined): void {
    this.failing = predicate;
  }

  /** Finishes every running statement. */
  release(): void {
    this.holding = undefined;
    for (const s of this.started) if (s.state.status === 'running') this.finish(s);
  }

  async execute(sql: string): Promise<void> {
    this.executed.push(sql);
  }

  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    this.executed.push(sql);
    if (sql.startsWith('SELECT file_key FROM ops.load_ledger'))
      return this.ledger.map((l) => ({ file_key: l.key })) as unknown as T[];
    if (sql.includes('COUNT(DISTINCT')) return [{ n: 0 }] as unknown as T[];
    const count = /^SELECT COUNT\(\*\) AS n FROM (\S+)$/.exec(sql);
    if (count) return [{ n: this.rows.get(count[1] ?? '') ?? 0 }] as unknown as T[];
    return [];
  }

  /** Runs DDL only: the load commits through background statements. */
  async transaction(statements: readonly string[]): Promise<void> {
    if (statements.some((sql) => !/^CREATE /.test(sql)))
      throw new Error('the load commits through background statements');
    this.executed.push(...statements);
  }

  async bulkLoad(): Promise<number> {
    throw new Error('the load bulk-loads through background statements');
  }

  async close(): Promise<void> {}

  readonly background: BackgroundStatements = {
    startTransaction: async (statements, options = {}) =>
      this.start('transaction', statements, options, undefined),
    startBulkLoad: async (request, options = {}) => this.start('bulk', [], options, request),
    state: async (id) =>
      this.started.find((s) => s.id === id)?.state ?? { status: 'failed', reason: 'unknown statement' },
    bulkLoadRows: async (id) => {
      const s = this.started.find((x) => x.id === id);
      return s?.state.status === 'finished' ? (s.state.rowCounts?.[0] ?? 0) : 0;
    },
  };

  private start(
    kind: ScriptedStatement['kind'],
    statements: readonly string[],
    options: BackgroundOptions,
    request: BulkLoadRequest | undefined,
  ): string {
    const s: ScriptedStatement = {
      id: `s${this.started.length + 1}`,
      kind,
      statements: request ? [`BULK ${request.table} ${request.files.length}`] : statements,
      options,
      state: { status: 'running' },
    };
    this.started.push(s);
    if (this.failing?.(s)) s.state = { status: 'failed', reason: 'injected failure' };
    else if (!this.holding?.(s)) this.finish(s);
    return s.id;
  }

  private finish(s: ScriptedStatement): void {
    const bulk = /^BULK (\S+) (\d+)$/.exec(s.statements[0] ?? '');
    if (bulk) {
      const rows = Number(bulk[2]) * ScriptedWarehouse.ROWS_PER_FILE;
      this.staged.set(bulk[1] ?? '', rows);
      s.state = { status: 'finished', rowCounts: [rows, 1] };
      return;
    }
    const insert = s.statements.find((sql) => /^INSERT INTO (raw|ops\.quarantine)/.test(sql)) ?? '';
    const table = /^INSERT INTO (\S+)/.exec(insert)?.[1] ?? '';
    const stage = /FROM \(?(?:SELECT [\s\S]*?FROM )?(ops\.stage_\w+)/.exec(insert)?.[1] ?? '';
    const ledger = s.statements.find((sql) => sql.startsWith('INSERT INTO ops.load_ledger')) ?? '';
    const entries = [...ledger.matchAll(/\('([^']+)', '[^']*', '[^']*', \d+, '([^']+)'/g)];
    const batchId = entries[0]?.[2] ?? '';
    const already = this.ledger.some((l) => l.loadId === batchId);
    if (!already) this.rows.set(table, (this.rows.get(table) ?? 0) + (this.staged.get(stage) ?? 0));
    for (let i = this.ledger.length - 1; i >= 0; i -= 1) {
      if (this.ledger[i]?.loadId === batchId) this.ledger.splice(i, 1);
    }
    for (const e of entries) this.ledger.push({ key: e[1] ?? '', loadId: e[2] ?? '' });
    s.state = { status: 'finished', rowCounts: s.statements.map(() => 0) };
  }
}
