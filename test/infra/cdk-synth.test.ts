import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/constructs/sluice-function.js';

/**
 * The real deployment path once: `npx cdk synth` runs `bin/sluice.ts` through tsx, loads `sluice.config.ts`,
 * bundles the eight handlers with esbuild and applies the cdk-nag plugin, which fails the synth on any finding.
 * No AWS variable reaches the process, so this also proves synth works offline without credentials.
 */
const outDir = mkdtempSync(join(tmpdir(), 'sluice-cdk-out-'));
let output = '';

/** The process environment without AWS settings, credentials, CDK defaults or the notices/telemetry calls. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(AWS_|CDK_DEFAULT_)/.test(key) && key !== 'SLUICE_CONFIG',
    ),
  );
  return {
    ...env,
    CDK_DISABLE_VERSION_CHECK: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

function template(): Template {
  return Template.fromJSON(
    JSON.parse(readFileSync(join(outDir, 'sluice-dev.template.json'), 'utf8')) as Record<string, unknown>,
  );
}

describe('npx cdk synth', () => {
  beforeAll(() => {
    output = execFileSync(
      'npx',
      ['cdk', 'synth', '--quiet', '--no-notices', '-c', 'stage=dev', '-o', outDir],
      {
        cwd: PROJECT_ROOT,
        env: offlineEnv(),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  }, 180_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes an environment-agnostic template for the dev stage', () => {
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['sluice-dev'].environment).toBe('aws://unknown-account/unknown-region');
    expect(Object.keys(template().toJSON()['Resources'] as object).length).toBeGreaterThan(50);
  });

  it('reports no cdk-nag finding', () => {
    expect(output).not.toMatch(/AwsSolutions-/);
  });

  it('bundles each handler as a minified ESM file with a source map', () => {
    const assets = readdirSync(outDir).filter((name) => name.startsWith('asset.'));
    const bundles = assets.filter((name) => readdirSync(join(outDir, name)).includes('index.mjs'));
    // ingest, land, load, transform, pull, sync, monitor, migrate
    expect(bundles).toHaveLength(8);
    for (const name of bundles) {
      expect(readdirSync(join(outDir, name))).toContain('index.mjs.map');
      const code = readFileSync(join(outDir, name, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire as __sluiceCreateRequire } from 'node:module';")).toBe(
        true,
      );
      // Minified: long lines (multi-line template strings, such as SQL and macros, keep their line breaks).
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    }
  });

  it('ships the models project inside the transform, monitor and migrate bundles', () => {
    const withModels = readdirSync(outDir).filter(
      (name) =>
        name.startsWith('asset.') &&
        readdirSync(join(outDir, name)).includes('index.mjs') &&
        readdirSync(join(outDir, name)).includes('models'),
    );
    expect(withModels).toHaveLength(3);
    for (const name of withModels)
      expect(readdirSync(join(outDir, name, 'models'))).toEqual(
        expect.arrayContaining(['project.yml', 'marts']),
      );
  });

  it('leaves the AWS SDK to the Lambda runtime', () => {
    const bundles = readdirSync(outDir)
      .filter((name) => name.startsWith('asset.') && readdirSync(join(outDir, name)).includes('index.mjs'))
      .map((name) => readFileSync(join(outDir, name, 'index.mjs'), 'utf8'));
    for (const code of bundles) expect(code).toMatch(/from\s*"@aws-sdk\/client-/);
  });

  it('configures the functions from sluice.config.ts', () => {
    const functions = Object.values(
      template().findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { SLUICE_CONFIG_JSON: Match.anyValue() } } },
      }),
    );
    // ingest, land, load, pull, sync and monitor read the config; transform and migrate do not
    expect(functions).toHaveLength(6);
    expect(JSON.parse(functions[0]?.Properties.Environment.Variables.SLUICE_CONFIG_JSON as string).name).toBe(
      'sluice',
    );
  });
});
