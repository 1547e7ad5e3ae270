import { dirname, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadConfigFile } from '../lambdas/local/config-file.js';
import { addSluice } from '../lib/sluice-app.js';

/**
 * The CDK app (`cdk.json` runs it with tsx). It reads the same `sluice.config.ts` as the local runtime, so one
 * file decides what runs on a laptop and what is deployed:
 * - config file: context `config` (`-c config=path`), else `SLUICE_CONFIG`, else `./sluice.config.ts`;
 * - stage: context `stage` (`-c stage=prod`), default `dev`;
 * - `-c destroyOnRemoval=true` deletes the landing zone and warehouse with the stack (refused for prod).
 * The stack is environment-agnostic: `cdk synth` needs no credentials; `cdk deploy` uses the CLI's account.
 */
const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null ? undefined : String(value);
};

const configPath = context('config') ?? process.env['SLUICE_CONFIG'] ?? './sluice.config.ts';
const config = await loadConfigFile(configPath);
addSluice(app, {
  config,
  configDir: dirname(resolve(configPath)),
  stage: context('stage') ?? 'dev',
  destroyOnRemoval: context('destroyOnRemoval') === 'true',
});
app.synth();
