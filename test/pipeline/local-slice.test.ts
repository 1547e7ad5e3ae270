import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { signSluiceBody } from '../../lambdas/sources/generic/signature.js';
import { openLocalPorts } from '../../lambdas/local/local-ports.js';
import { LocalPipeline } from '../../lambdas/local/local-pipeline.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'sluice.mjs');
const SECRET = 'local-slice-secret';
const homes: string[] = [];
const pipelines: LocalPipeline[] = [];

afterEach(async () => {
  for (const p of pipelines.splice(0)) await p.stop();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function envFor(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SLUICE_HOME: home,
    SLUICE_CONFIG: join(home, 'none.config.ts'),
    SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRET,
  };
}

async function startPipeline() {
  const root = mkdtempSync(join(tmpdir(), 'sluice-home-'));
  homes.push(root);
  const home = sluiceHome({ SLUICE_HOME: root });
  const config = resolveConfig({
    sources: { app_events: { kind: 'webhook' } },
    landing: { flushIntervalSeconds: 600 },
  });
  const ports = await openLocalPorts(home, {
    logLevel: 'error',
    env: { SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRET },
  });
  const pipeline = new LocalPipeline(config, home, ports);
  pipelines.push(pipeline);
  const url = await pipeline.start(0);
  return { root, url, pipeline, ports };
}

async function postEvent(url: string, event: Record<string, unknown>, secret = SECRET) {
  const body = JSON.stringify(event);
  return fetch(`${url}/webhooks/app_events`, {
    method: 'POST',
    headers: { 'x-sluice-signature': signSluiceBody(body, secret) },
    body,
  });
}

async function cli(root: string, ...args: string[]) {
  return run(process.execPath, [CLI, ...args], { cwd: ROOT, env: envFor(root) });
}

describe('the local pipeline, end to end', () => {
  it('turns signed webhooks into rows of raw.<source>, one per event id, after sluice load', async () => {
    const { root, url } = await startPipeline();
    for (const id of ['a', 'b', 'c', 'b'])
      expect((await postEvent(url, { id, type: 'user.created' })).status).toBe(200);
    expect((await postEvent(url, { id: 'forged' }, 'not-the-secret')).status).toBe(401);
    const load = await cli(root, 'load');
    expect(load.stdout).toContain('loaded 3 new row(s) into raw.app_events');
    const { stdout } = await cli(
      root,
      'query',
      'select event_id, event_type from raw.app_events order by event_id',
      '--json',
    );
    expect(JSON.parse(stdout)).toEqual([
      { event_id: 'a', event_type: 'user.created' },
      { event_id: 'b', event_type: 'user.created' },
      { event_id: 'c', event_type: 'user.created' },
    ]);
  });

  it('prints numbers as JSON numbers in sluice query --json', async () => {
    const { root, url } = await startPipeline();
    await postEvent(url, { id: 'n1' });
    await cli(root, 'load');
    const { stdout } = await cli(
      root,
      'query',
      'select count(*) as n, 1.5 as x from raw.app_events',
      '--json',
    );
    expect(JSON.parse(stdout)).toEqual([{ n: 1, x: 1.5 }]);
  });

  it('shows queue depth, backlog and the last load in sluice status --json', async () => {
    const { root, url } = await startPipeline();
    await postEvent(url, { id: 's1' });
    const before = JSON.parse((await cli(root, 'status', '--json')).stdout) as {
      queue: { visible: number };
      running: unknown;
    };
    expect(before.queue.visible).toBe(1);
    expect(before.running).not.toBeNull();
    await cli(root, 'load');
    const after = JSON.parse((await cli(root, 'status', '--json')).stdout) as {
      tables: { table: string; files: number }[];
    };
    expect(after.tables).toEqual([expect.objectContaining({ table: 'raw.app_events', files: 1 })]);
  });

  it('refuses admin calls without the token', async () => {
    const { url } = await startPipeline();
    const response = await fetch(`${url}/admin/query`, { method: 'POST', body: '{"sql":"select 1"}' });
    expect(response.status).toBe(401);
  });

  it('answers a failing query with a one-line error and a non-zero exit', async () => {
    const { root } = await startPipeline();
    const failure = await cli(root, 'query', 'select * from raw.nope').catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
    expect((failure as { stderr: string }).stderr).toMatch(/^sluice: .*nope/);
  });
});

describe('sluice start', () => {
  it('lands and loads what was accepted when stopped with Ctrl-C, and the CLI then reads the file directly', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sluice-start-'));
    homes.push(root);
    const child = spawn(process.execPath, [CLI, 'start', '--port', '0'], { cwd: ROOT, env: envFor(root) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`start exited with ${code}: ${output}`)));
    });
    await postEvent(url, { id: 'before-stop' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const { stdout } = await cli(root, 'query', 'select event_id from raw.app_events', '--json');
    expect(JSON.parse(stdout)).toEqual([{ event_id: 'before-stop' }]);
  });

  it('fails with one clear line when the config is invalid', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sluice-badconfig-'));
    homes.push(root);
    const config = join(root, 'bad.config.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, JSON.stringify({ sources: { Bad: { kind: 'webhook' } } }));
    const failure = await run(process.execPath, [CLI, 'start', '--port', '0'], {
      cwd: ROOT,
      env: { ...envFor(root), SLUICE_CONFIG: config },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(
      /^sluice: config\/sources\/Bad: is not a valid name/,
    );
  });
});
