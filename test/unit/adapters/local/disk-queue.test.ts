import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskQueue } from '../../../../lambdas/adapters/local/disk-queue.js';
import { UnavailableError } from '../../../../lambdas/core/errors.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('DiskQueue', () => {
  let dir: string;
  let file: string;
  let time: number;
  const open: DiskQueue[] = [];
  const queue = (options: ConstructorParameters<typeof DiskQueue>[1] = {}): DiskQueue => {
    const q = new DiskQueue(file, { now: () => time, ...options });
    open.push(q);
    return q;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-disk-queue-'));
    file = path.join(dir, 'queue.sqlite');
    time = Date.parse('2026-01-01T00:00:00.000Z');
  });

  afterEach(async () => {
    for (const q of open.splice(0)) q.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('redelivers after the visibility timeout measured on its injected clock', async () => {
    const q = queue();
    await q.send(['m']);
    await q.receive({ visibilityTimeoutSeconds: 60 });
    time += 59_000;
    expect(await q.receive()).toEqual([]);
    time += 1_000;
    expect((await q.receive()).map((m) => m.receiveCount)).toEqual([2]);
  });

  it('refuses to acknowledge a redelivered message with the receipt of an earlier delivery', async () => {
    const q = queue();
    await q.send(['m']);
    const [first] = await q.receive({ visibilityTimeoutSeconds: 1 });
    time += 1_000;
    const [second] = await q.receive({ visibilityTimeoutSeconds: 1 });
    await q.ack([first!.receipt]);
    expect(await q.depth()).toEqual({ visible: 0, inFlight: 1, dead: 0 });
    await q.ack([second!.receipt]);
    expect(await q.depth()).toEqual({ visible: 0, inFlight: 0, dead: 0 });
  });

  it('dead-letters a message on the receive after its fifth by default', async () => {
    const q = queue();
    await q.send(['poison']);
    for (let i = 1; i <= 5; i += 1) {
      const [m] = await q.receive();
      expect(m?.receiveCount).toBe(i);
      await q.release([m!.receipt]);
    }
    expect(await q.receive()).toEqual([]);
    expect((await q.depth()).dead).toBe(1);
  });

  it('lists dead messages with their body and receive count', async () => {
    const q = queue({ maxReceives: 1 });
    await q.send(['poison']);
    const [m] = await q.receive();
    await q.release([m!.receipt]);
    time += 5_000;
    await q.receive();
    const dead = await q.listDead();
    expect(dead).toEqual([
      {
        id: m!.id,
        body: 'poison',
        receiveCount: 1,
        sentAt: new Date('2026-01-01T00:00:00.000Z'),
        diedAt: new Date('2026-01-01T00:00:05.000Z'),
      },
    ]);
  });

  it('redrives dead messages back onto the queue with the same id and a fresh receive count', async () => {
    const q = queue({ maxReceives: 1 });
    await q.send(['a', 'b']);
    for (const m of await q.receive()) await q.release([m.receipt]);
    await q.receive();
    expect((await q.depth()).dead).toBe(2);
    const [deadA] = (await q.listDead()).filter((d) => d.body === 'a');
    expect(await q.redriveDead([deadA!.id])).toBe(1);
    const [again] = await q.receive();
    expect(again).toMatchObject({ id: deadA!.id, body: 'a', receiveCount: 1 });
    expect(await q.redriveDead()).toBe(1);
    expect(await q.depth()).toEqual({ visible: 1, inFlight: 1, dead: 0 });
  });

  it('shares one file between two open queues without handing a message out twice', async () => {
    const a = queue();
    const b = queue();
    await a.send(['1', '2', '3', '4']);
    const fromA = await a.receive({ maxMessages: 2 });
    const fromB = await b.receive({ maxMessages: 10 });
    expect([...fromA, ...fromB].map((m) => m.body).sort()).toEqual(['1', '2', '3', '4']);
    expect(fromB).toHaveLength(2);
  });

  it('keeps messages across a close and reopen', async () => {
    const first = queue();
    await first.send(['kept']);
    first.close();
    const [m] = await queue().receive();
    expect(m?.body).toBe('kept');
  });

  it('stores every one of many concurrent sends, each resolved once its messages are receivable', async () => {
    const q = queue();
    await Promise.all(Array.from({ length: 50 }, (_, i) => q.send([`a${i}`, `b${i}`])));
    const received = await q.receive({ maxMessages: 1000 });
    expect(received).toHaveLength(100);
  });

  it('commits a send still waiting for its group commit when the queue is closed', async () => {
    const first = queue();
    const sent = first.send(['in-flight']);
    first.close();
    await sent;
    const [m] = await queue().receive();
    expect(m?.body).toBe('in-flight');
  });

  it('rejects calls after close with an UnavailableError', async () => {
    const q = queue();
    q.close();
    await expect(q.send(['x'])).rejects.toThrow(UnavailableError);
  });

  it('rejects a maxReceives that is not a positive integer', () => {
    expect(() => new DiskQueue(file, { maxReceives: 0 })).toThrow(RangeError);
  });

  it('keeps every message of a resolved send when the sending process is killed', async () => {
    const count = 250;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'fixtures', 'send-then-hang.ts'), file, String(count)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('sent')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const q = queue({ now: Date.now });
    expect(await q.depth()).toEqual({ visible: count, inFlight: 0, dead: 0 });
    const bodies: string[] = [];
    for (;;) {
      const batch = await q.receive({ maxMessages: 100 });
      if (batch.length === 0) break;
      bodies.push(...batch.map((m) => m.body));
    }
    expect(bodies.sort()).toEqual(Array.from({ length: count }, (_, i) => `durable-${i}`).sort());
  });
});
