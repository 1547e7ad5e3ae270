import type { SqlSource } from './sql-source.js';

/**
 * One stream run's database session: opened by the first page, reused by the next ones (a PostgreSQL
 * connection costs a process fork and an authentication handshake, far more than a page of rows), closed
 * when the stream catches up or fails, and otherwise after `idleMs` without use — a run paused by its page
 * or time budget must not keep a connection (or a CLI process) alive.
 */
export class SqlSession {
  private session: Promise<SqlSource> | undefined;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly open: () => Promise<SqlSource>,
    private readonly idleMs = 2000,
  ) {}

  /** Runs `work` on the open session (opening it first); a failure closes the session. */
  async use<T>(work: (session: SqlSource) => Promise<T>): Promise<T> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    const opening = (this.session ??= this.open());
    try {
      const result = await work(await opening);
      this.idle = setTimeout(() => void this.close(), this.idleMs);
      this.idle.unref?.();
      return result;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Closes the session, if one is open. */
  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    const opening = this.session;
    this.session = undefined;
    if (!opening) return;
    const session = await opening.catch(() => undefined);
    await session?.close();
  }
}
