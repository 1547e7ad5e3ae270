import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { SluiceConfig } from '../../lambdas/core/config/config-types.js';
import { addSluice } from '../../lib/sluice-app.js';
import { config, testApp } from './support/sluice-app.js';

/**
 * cdk-nag v3 runs as a CDK validation plugin: its findings are validation violations, not annotations, so the
 * checks are read from the pack's own `validateScope` (the same rules `cdk synth` applies, where any finding
 * fails the synth). An empty list means no unacknowledged AwsSolutions error and no warning.
 */
function findings(
  input: SluiceConfig,
  destroyOnRemoval = false,
): { rule: string; severity: string; paths: string[] }[] {
  const stack = addSluice(testApp(), { config: config(input), stage: 'dev', destroyOnRemoval, nag: false });
  return new AwsSolutionsChecks().validateScope(stack).violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity ?? 'error',
    paths: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? ''),
  }));
}

describe('cdk-nag AwsSolutions checks', () => {
  it('find nothing unacknowledged with a new Redshift Serverless warehouse', () => {
    expect(findings({ warehouse: { redshift: { mode: 'serverless' } } })).toEqual([]);
  });

  it('find nothing unacknowledged with an existing workgroup', () => {
    expect(
      findings({
        warehouse: { redshift: { mode: 'existing-workgroup', workgroupName: 'analytics', database: 'dev' } },
      }),
    ).toEqual([]);
  });

  it('find nothing unacknowledged with an existing cluster', () => {
    expect(
      findings({
        warehouse: {
          redshift: { mode: 'existing-cluster', clusterIdentifier: 'bi', database: 'dev', dbUser: 'sluice' },
        },
      }),
    ).toEqual([]);
  });

  it('find nothing unacknowledged in a throw-away stage that destroys its data on removal', () => {
    expect(findings({}, true)).toEqual([]);
  });

  it('do report an unprotected bucket, so an empty result is meaningful', () => {
    const stack = new Stack(testApp(), 'Unprotected');
    new s3.Bucket(stack, 'Open');
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
