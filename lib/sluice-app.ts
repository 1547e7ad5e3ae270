import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ResolvedConfig } from '../lambdas/core/config/config-types.js';
import { SluiceStack } from './stacks/sluice-stack.js';

/** Options of {@link addSluice}. */
export interface SluiceAppOptions {
  /** The resolved config. */
  readonly config: ResolvedConfig;
  /** Deployment stage (lower-case letters and digits, starting with a letter). @default 'dev' */
  readonly stage?: string;
  /** Delete stateful resources with the stack (never for `prod`). @default false */
  readonly destroyOnRemoval?: boolean;
  /** Run the cdk-nag AwsSolutions checks at synth; any unacknowledged finding fails synth. @default true */
  readonly nag?: boolean;
  /** Folder of the config file (`models.path` is relative to it). @default the project root */
  readonly configDir?: string;
}

const STAGE = /^[a-z][a-z0-9]{0,9}$/;

/**
 * Adds one Sluice stage to a CDK app: the composition shared by `bin/sluice.ts` and the infra tests, so the
 * tests assert on exactly what `cdk synth` produces. The stack is environment-agnostic (no account or region),
 * so synth needs neither credentials nor network.
 */
export function addSluice(app: App, options: SluiceAppOptions): SluiceStack {
  const stage = options.stage ?? 'dev';
  if (!STAGE.test(stage)) {
    throw new Error(
      `stage "${stage}" is invalid: use 1-10 lower-case letters or digits, starting with a letter`,
    );
  }
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return new SluiceStack(app, `${options.config.name}-${stage}`, {
    config: options.config,
    stage,
    destroyOnRemoval: options.destroyOnRemoval ?? false,
    ...(options.configDir ? { configDir: options.configDir } : {}),
    description: `Sluice ${stage}: ingest, load, transform, pull, sync and monitoring for ${options.config.name}`,
  });
}
