import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { demoConfig, prepareDemo } from '../../../lambdas/local/commands/start-demo.js';
import { SIMULATOR_ORG_ID } from '../../../lambdas/local/simulator/salesforce-message.js';
import { sluiceHome } from '../../../lambdas/local/sluice-home.js';
import starterConfig from '../../../sluice.config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function home() {
  const root = mkdtempSync(join(tmpdir(), 'sluice-demo-'));
  dirs.push(root);
  return sluiceHome({ SLUICE_HOME: root });
}

describe('sluice start --demo', () => {
  it('generates the simulator’s signing secrets into the secrets file before the pipeline reads it', () => {
    const h = home();
    const secrets = prepareDemo(h, {});
    const file = JSON.parse(readFileSync(h.secretsFile, 'utf8')) as Record<string, string>;
    expect(file['SLUICE_SEGMENT_WRITE_KEY']).toBe(secrets.segmentWriteKey);
  });

  it('allows the simulated Salesforce organization next to the ones already allowed', () => {
    const env: NodeJS.ProcessEnv = { SLUICE_SALESFORCE_ORG_IDS: '00D000000000001' };
    prepareDemo(home(), env);
    expect(env['SLUICE_SALESFORCE_ORG_IDS']).toBe(`00D000000000001,${SIMULATOR_ORG_ID}`);
  });

  it('lifts the syncs’ change-ratio breaker, which a dozen accounts trip every live hour', () => {
    const config = resolveConfig(starterConfig);
    expect(config.syncs.length).toBeGreaterThan(0);
    expect(demoConfig(config).syncs.map((sync) => sync.maxChangeRatio)).toEqual(config.syncs.map(() => 1));
    expect(config.syncs.every((sync) => sync.maxChangeRatio! < 1)).toBe(true);
  });
});
