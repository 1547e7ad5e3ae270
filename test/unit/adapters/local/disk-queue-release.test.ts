import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskQueue } from '../../../../lambdas/adapters/local/disk-queue.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function queueFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sluice-queue-release-'));
  dirs.push(dir);
  return path.join(dir, 'queue.sqlite');
}

describe('releasing in-flight messages of the disk queue', () => {
  it('makes the messages a killed consumer had received visible again at once', async () => {
    const file = queueFile();
    const killed = new DiskQueue(file);
    await killed.send(['a', 'b']);
    expect(await killed.receive({ maxMessages: 10, visibilityTimeoutSeconds: 120 })).toHaveLength(2);
    killed.close();

    const restarted = new DiskQueue(file);
    expect(restarted.releaseInFlight()).toBe(2);
    const bodies = (await restarted.receive({ maxMessages: 10 })).map((m) => m.body).sort();
    expect(bodies).toEqual(['a', 'b']);
    restarted.close();
  });

  it('leaves messages that were never received as they are', async () => {
    const queue = new DiskQueue(queueFile());
    await queue.send(['waiting']);
    expect(queue.releaseInFlight()).toBe(0);
    expect(await queue.depth()).toEqual({ visible: 1, inFlight: 0, dead: 0 });
    queue.close();
  });
});
