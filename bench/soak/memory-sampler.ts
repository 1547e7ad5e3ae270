/**
 * Samples the soaked pipeline's memory in three parts, so a growth can be blamed on one of them: the process
 * RSS (from `/proc/<pid>/status`, every 5 s: it needs nothing from the pipeline), and every 10 s the V8 heap
 * (`memory` of `GET /admin/status`) and DuckDB's own accounting of the memory it holds (`duckdb_memory()`,
 * through `POST /admin/query`). What is left of the RSS — native memory that is neither the JS heap nor
 * DuckDB's buffer manager (SQLite, gzip, sockets, allocator slack) — is reported as the rest.
 */
import { readFileSync } from 'node:fs';
import type { RunningPipeline } from '../../lambdas/local/pipeline-client.js';
import type { MemoryPoint } from './memory-trend.js';

/** The series a {@link MemorySampler} collects, each in MiB against seconds since it started. */
export interface MemorySeries {
  readonly rss: MemoryPoint[];
  /** V8 heap in use (`heapUsed`). */
  readonly heapUsed: MemoryPoint[];
  /** Memory of JS objects held outside the V8 heap (`external`, which includes `arrayBuffers`). */
  readonly external: MemoryPoint[];
  /** DuckDB's buffer manager: the sum of `memory_usage_bytes` over `duckdb_memory()`. */
  readonly duckdb: MemoryPoint[];
  /** RSS at the time of a heap sample minus heap total, external and DuckDB: the unexplained native rest. */
  readonly rest: MemoryPoint[];
  /** DuckDB's memory by `duckdb_memory()` tag (MiB, non-zero tags only), to see which of its parts grows. */
  readonly duckdbByTag: { at: number; tags: Record<string, number> }[];
}

const MiB = 1024 * 1024;

/** The resident set size of process `pid` in MiB, or NaN once it has exited. */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Samples the memory of a running pipeline until {@link MemorySampler.stop}. */
export class MemorySampler {
  readonly series: MemorySeries = {
    rss: [],
    heapUsed: [],
    external: [],
    duckdb: [],
    rest: [],
    duckdbByTag: [],
  };
  private readonly started = Date.now();
  private readonly rssTimer: NodeJS.Timeout;
  private readonly partsTimer: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly pid: number,
    private readonly pipeline: RunningPipeline,
  ) {
    this.rssTimer = setInterval(() => {
      const mib = rssMiB(this.pid);
      if (!Number.isNaN(mib)) this.series.rss.push({ at: this.now(), mib });
    }, 5000);
    this.partsTimer = setInterval(() => void this.sampleParts(), 10_000);
  }

  /** Stops sampling; the series keep what was collected. */
  stop(): void {
    clearInterval(this.rssTimer);
    clearInterval(this.partsTimer);
  }

  private now(): number {
    return (Date.now() - this.started) / 1000;
  }

  /** One heap and DuckDB sample; skipped while the previous one still waits on the pipeline. */
  private async sampleParts(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const at = this.now();
    try {
      const [status, duck] = await Promise.all([
        this.pipeline.call<{ memory?: NodeJS.MemoryUsage }>('GET', '/admin/status'),
        this.pipeline.call<{ rows: { tag: string; bytes: number | string }[] }>('POST', '/admin/query', {
          sql: 'SELECT tag, memory_usage_bytes AS bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0',
        }),
      ]);
      const memory = status.memory;
      const tags = Object.fromEntries(duck.rows.map((row) => [row.tag, Number(row.bytes) / MiB]));
      this.series.duckdbByTag.push({ at, tags });
      const duckdb = Object.values(tags).reduce((sum, value) => sum + value, 0);
      if (!Number.isNaN(duckdb)) this.series.duckdb.push({ at, mib: duckdb });
      if (memory) {
        this.series.heapUsed.push({ at, mib: memory.heapUsed / MiB });
        this.series.external.push({ at, mib: memory.external / MiB });
        if (!Number.isNaN(duckdb))
          this.series.rest.push({
            at,
            mib: (memory.rss - memory.heapTotal - memory.external) / MiB - duckdb,
          });
      }
    } catch {
      // A pipeline that is busy stopping or not answering yet has no sample to give; the next tick tries again.
    } finally {
      this.busy = false;
    }
  }
}
