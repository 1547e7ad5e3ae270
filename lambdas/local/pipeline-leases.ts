import type { ObjectStore } from '../core/ports.js';
import { LEASE_PREFIX } from '../core/pull/stream-lease.js';
import { processAlive } from './process-alive.js';

const OWNER_PREFIX = 'local-pipeline:';

/**
 * The owner name a local pipeline's pull runs write into their stream leases: it carries the process id, so
 * that the next pipeline on the same home can tell a lease of a killed predecessor from one held by a live
 * process (a `sluice backfill`, or a pipeline still running).
 */
export function pipelineLeaseOwner(pid: number = process.pid): string {
  return `${OWNER_PREFIX}${pid}:${Date.now().toString(36)}`;
}

/**
 * Deletes the stream leases held by local pipelines that no longer run, and returns their keys. A pipeline
 * killed mid-pull leaves its lease behind until it expires (15 minutes); without this, its successor would
 * skip that stream as "running elsewhere" for that long. Leases of live processes and of other owners (AWS
 * runs, backfills) are left alone.
 */
export async function releaseDeadPipelineLeases(
  objects: ObjectStore,
  alive: (pid: number) => boolean = processAlive,
): Promise<string[]> {
  const released: string[] = [];
  for (const { key } of await objects.list(LEASE_PREFIX)) {
    const bytes = await objects.get(key);
    if (!bytes) continue;
    let owner: unknown;
    try {
      owner = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { owner?: unknown }).owner;
    } catch {
      continue;
    }
    if (typeof owner !== 'string' || !owner.startsWith(OWNER_PREFIX)) continue;
    const pid = Number(owner.slice(OWNER_PREFIX.length).split(':')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    await objects.delete(key);
    released.push(key);
  }
  return released;
}
