import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import type { ResolvedConfig, SluiceConfig } from '../../../lambdas/core/config/config-types.js';
import { addSluice } from '../../../lib/sluice-app.js';
import type { SluiceStack } from '../../../lib/stacks/sluice-stack.js';

/** The feature flags and context of `cdk.json`, so tests synthesize what `cdk synth` synthesizes. */
const CDK_CONTEXT = (
  JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/**
 * A CDK app with the project's context. Bundling and CDK's built-in CloudFormation rule validation are skipped
 * (together they cost over ten seconds per test file): assertions are about the templates, and the real
 * `cdk synth` test proves bundling and validation once.
 */
export function testApp(): App {
  return new App({
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
}

/** A bare stack in a test app, for testing one construct at a time. */
export function testStack(): Stack {
  return new Stack(testApp(), 'Test');
}

/** Resolves a config like the CDK app does (defaults filled in). */
export function config(input: SluiceConfig = {}): ResolvedConfig {
  return resolveConfig(input);
}

/** The whole Sluice stage as `bin/sluice.ts` builds it (without the nag plugin), and its template. */
export function sluiceStage(
  input: SluiceConfig = {},
  stage = 'dev',
): { stack: SluiceStack; template: Template } {
  const stack = addSluice(testApp(), { config: config(input), stage, nag: false });
  return { stack, template: Template.fromStack(stack) };
}
