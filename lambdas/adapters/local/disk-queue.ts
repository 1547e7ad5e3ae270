/**
 * The local queue: a durable on-disk {@link Queue} with SQS semantics on SQLite (better-sqlite3), so that the
 * local ingest answers 2xx only once an event would survive a crash, exactly as SQS guarantees in AWS.
 *
 * One SQLite file in WAL mode with `synchronous=FULL` holds two tables: `messages` (waiting and in-flight) and
 * `dead` (the dead-letter queue). A message is visible when `visible_at <= now`; receiving it stamps a fresh
 * receipt, bumps its receive count and pushes `visible_at` out by the visibility timeout. Several processes
 * may open the same file: writes take SQLite's write lock (`BEGIN IMMEDIATE`) and wait for it up to a busy
 * timeout.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Queue, QueueDepth, QueueMessage, ReceiveOptions } from '../../core/ports.js';
import { UnavailableError } from '../../core/errors.js';

/** Settings of a {@link DiskQueue}. */
export interface DiskQueueOptions {
  /** Receives after which the next receive dead-letters the message instead (SQS `maxReceiveCount`; default 5). */
  readonly maxReceives?: number;
  /** Visibility timeout when `receive` is not given one (SQS queue `VisibilityTimeout`; default 30). */
  readonly visibilityTimeoutSeconds?: number;
  /** How often a long-poll re-checks the file for messages (default 100 ms). */
  readonly pollIntervalMs?: number;
  /** How long to wait for another process's write lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Current time in epoch milliseconds; injectable for tests (default `Date.now`). */
  readonly now?: () => number;
}

/** A message in the dead-letter table, as `sluice replay dlq` shows it. */
export interface DeadMessage {
  readonly id: string;
  readonly body: string;
  /** Receives it had when it was dead-lettered. */
  readonly receiveCount: number;
  readonly sentAt: Date;
  readonly diedAt: Date;
}

interface MessageRow {
  seq: number;
  id: string;
  body: string;
  receive_count: number;
}

interface DeadRow {
  id: string;
  body: string;
  receive_count: number;
  sent_at: number;
  died_at: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    receipt TEXT
  );
  CREATE INDEX IF NOT EXISTS messages_visible_at ON messages (visible_at);
  CREATE UNIQUE INDEX IF NOT EXISTS messages_receipt ON messages (receipt) WHERE receipt IS NOT NULL;
  CREATE TABLE IF NOT EXISTS dead (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL,
    died_at INTEGER NOT NULL
  );
`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A durable {@link Queue} in one SQLite file. Every call is one SQLite transaction, so a resolved `send` is on
 * disk (fsynced) and a crash mid-call leaves the queue as it was before the call.
 */
export class DiskQueue implements Queue {
  /** Absolute path of the queue file. */
  readonly file: string;
  private readonly db: Database.Database;
  private readonly maxReceives: number;
  private readonly visibilityTimeoutSeconds: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => number;
  private readonly pendingSends: {
    readonly bodies: readonly string[];
    readonly resolve: () => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  private readonly sendTx: Database.Transaction<(bodies: readonly string[], now: number) => void>;
  private readonly receiveTx: Database.Transaction<
    (max: number, visibilityMs: number, now: number) => QueueMessage[]
  >;
  private readonly ackTx: Database.Transaction<(receipts: readonly string[]) => void>;
  private readonly releaseTx: Database.Transaction<(receipts: readonly string[], visibleAt: number) => void>;
  private readonly redriveTx: Database.Transaction<
    (ids: readonly string[] | undefined, now: number) => number
  >;

  constructor(file: string, options: DiskQueueOptions = {}) {
    this.file = path.resolve(file);
    this.maxReceives = options.maxReceives ?? 5;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 30;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.maxReceives) || this.maxReceives < 1) {
      throw new RangeError(`maxReceives must be a positive integer, got ${this.maxReceives}`);
    }
    mkdirSync(path.dirname(this.file), { recursive: true });
    this.db = new Database(this.file, { timeout: options.busyTimeoutMs ?? 5_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);

    const insert = this.db.prepare(
      'INSERT INTO messages (id, body, sent_at, visible_at, receive_count) VALUES (?, ?, ?, ?, 0)',
    );
    this.sendTx = this.db.transaction((bodies: readonly string[], now: number) => {
      for (const body of bodies) insert.run(randomUUID(), body, now, now);
    });

    const nextVisible = this.db.prepare(
      'SELECT seq, id, body, receive_count FROM messages WHERE visible_at <= ? ORDER BY seq LIMIT ?',
    );
    const deliver = this.db.prepare(
      'UPDATE messages SET receive_count = receive_count + 1, receipt = ?, visible_at = ? WHERE seq = ?',
    );
    const bury = this.db.prepare(
      'INSERT INTO dead (id, body, sent_at, receive_count, died_at) ' +
        'SELECT id, body, sent_at, receive_count, ? FROM messages WHERE seq = ?',
    );
    const remove = this.db.prepare('DELETE FROM messages WHERE seq = ?');
    this.receiveTx = this.db.transaction((max: number, visibilityMs: number, now: number) => {
      const delivered: QueueMessage[] = [];
      while (delivered.length < max) {
        const candidates = nextVisible.all(now, max - delivered.length) as MessageRow[];
        if (candidates.length === 0) break;
        for (const row of candidates) {
          if (row.receive_count >= this.maxReceives) {
            bury.run(now, row.seq);
            remove.run(row.seq);
            continue;
          }
          const receipt = randomUUID();
          deliver.run(receipt, now + visibilityMs, row.seq);
          delivered.push({ id: row.id, body: row.body, receiveCount: row.receive_count + 1, receipt });
        }
      }
      return delivered;
    });

    const ackOne = this.db.prepare('DELETE FROM messages WHERE receipt = ?');
    this.ackTx = this.db.transaction((receipts: readonly string[]) => {
      for (const receipt of receipts) ackOne.run(receipt);
    });

    const releaseOne = this.db.prepare('UPDATE messages SET visible_at = ? WHERE receipt = ?');
    this.releaseTx = this.db.transaction((receipts: readonly string[], visibleAt: number) => {
      for (const receipt of receipts) releaseOne.run(visibleAt, receipt);
    });

    const revive = this.db.prepare(
      'INSERT INTO messages (id, body, sent_at, visible_at, receive_count) ' +
        'SELECT id, body, sent_at, ?, 0 FROM dead WHERE id = ?',
    );
    const forget = this.db.prepare('DELETE FROM dead WHERE id = ?');
    const deadIds = this.db.prepare('SELECT id FROM dead ORDER BY seq');
    this.redriveTx = this.db.transaction((ids: readonly string[] | undefined, now: number) => {
      const chosen = ids ?? (deadIds.all() as { id: string }[]).map((r) => r.id);
      let moved = 0;
      for (const id of chosen) {
        if (revive.run(now, id).changes === 0) continue;
        forget.run(id);
        moved += 1;
      }
      return moved;
    });
  }

  /**
   * Group commit: sends made while the event loop is busy (typically by concurrent HTTP requests) are written
   * in one transaction on the next turn of the loop, so one fsync covers them all. Each promise still
   * resolves only after the transaction holding its messages has committed; a failed commit rejects every
   * send in it.
   */
  send(bodies: readonly string[]): Promise<void> {
    if (bodies.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pendingSends.push({ bodies, resolve, reject });
      if (this.pendingSends.length === 1) setImmediate(() => this.commitSends());
    });
  }

  /** Commits every send waiting for the next group commit. */
  private commitSends(): void {
    const group = this.pendingSends.splice(0);
    if (group.length === 0) return;
    try {
      const bodies = group.length === 1 ? (group[0]?.bodies ?? []) : group.flatMap((g) => g.bodies);
      this.guard('send messages', () => this.sendTx.immediate(bodies, this.now()));
    } catch (error) {
      for (const g of group) g.reject(error);
      return;
    }
    for (const g of group) g.resolve();
  }

  async receive(options: ReceiveOptions = {}): Promise<QueueMessage[]> {
    const max = options.maxMessages ?? 10;
    const visibilityMs = Math.round(
      (options.visibilityTimeoutSeconds ?? this.visibilityTimeoutSeconds) * 1_000,
    );
    const deadline = this.now() + Math.max(0, options.waitSeconds ?? 0) * 1_000;
    if (max < 1) return [];
    for (;;) {
      const got = this.guard('receive messages', () =>
        this.receiveTx.immediate(max, visibilityMs, this.now()),
      );
      if (got.length > 0 || this.now() >= deadline) return got;
      await sleep(Math.min(this.pollIntervalMs, Math.max(1, deadline - this.now())));
    }
  }

  async ack(receipts: readonly string[]): Promise<void> {
    if (receipts.length === 0) return;
    this.guard('acknowledge messages', () => this.ackTx.immediate(receipts));
  }

  async release(receipts: readonly string[], delaySeconds = 0): Promise<void> {
    if (receipts.length === 0) return;
    const visibleAt = this.now() + Math.max(0, delaySeconds) * 1_000;
    this.guard('release messages', () => this.releaseTx.immediate(receipts, visibleAt));
  }

  /**
   * Makes every in-flight message visible again now. Only for a consumer that knows it is the queue's sole
   * reader — the local pipeline at start, or `sluice load` when no pipeline runs: messages a killed process had
   * received would otherwise wait out their visibility timeout (two minutes for the land worker) before they
   * land, and a `sluice load` right after a crash would leave them behind. Returns how many were released.
   */
  releaseInFlight(): number {
    return this.guard('release in-flight messages', () => {
      const now = this.now();
      return this.db
        .prepare('UPDATE messages SET visible_at = ? WHERE visible_at > ? AND receive_count > 0')
        .run(now, now).changes;
    });
  }

  async depth(): Promise<QueueDepth> {
    return this.guard('read the queue depth', () => {
      const now = this.now();
      const counts = this.db
        .prepare(
          'SELECT COALESCE(SUM(visible_at <= ?), 0) AS visible, COALESCE(SUM(visible_at > ?), 0) AS inFlight, ' +
            '(SELECT COUNT(*) FROM dead) AS dead FROM messages',
        )
        .get(now, now) as QueueDepth;
      return { visible: counts.visible, inFlight: counts.inFlight, dead: counts.dead };
    });
  }

  /** The dead-lettered messages, oldest first, so an operator can inspect them before a replay. */
  async listDead(): Promise<DeadMessage[]> {
    return this.guard('list dead messages', () =>
      (
        this.db
          .prepare('SELECT id, body, receive_count, sent_at, died_at FROM dead ORDER BY seq')
          .all() as DeadRow[]
      ).map((row) => ({
        id: row.id,
        body: row.body,
        receiveCount: row.receive_count,
        sentAt: new Date(row.sent_at),
        diedAt: new Date(row.died_at),
      })),
    );
  }

  /**
   * Moves dead messages (all of them, or those with the given ids) back onto the queue with a fresh receive
   * count, for `sluice replay dlq` once the cause is fixed; returns how many moved. Ids stay the same.
   */
  async redriveDead(ids?: readonly string[]): Promise<number> {
    return this.guard('redrive dead messages', () => this.redriveTx.immediate(ids, this.now()));
  }

  /**
   * Test seam for storage faults: `true` caps the file at its current size (SQLite `max_page_count`), so the
   * next write that needs a new page fails with the same `SQLITE_FULL` a full disk gives; `false` lifts the cap.
   * Lets fault tests prove the 503 path without filling the machine's disk. The pipeline never calls it.
   */
  simulateDiskFull(full: boolean): void {
    this.guard('change the size limit', () => {
      const pages = full ? Number(this.db.pragma('page_count', { simple: true })) : 1_073_741_823;
      this.db.pragma(`max_page_count = ${pages}`);
    });
  }

  /** Commits sends still waiting for their group commit, then closes the file; the queue cannot be used afterwards. */
  close(): void {
    if (this.db.open) this.commitSends();
    if (this.db.open) this.db.close();
  }

  /** Runs a SQLite call, turning storage failures (busy, disk full, closed) into {@link UnavailableError}. */
  private guard<T>(what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UnavailableError(`queue ${this.file}: could not ${what}: ${reason}`, { cause: error });
    }
  }
}
