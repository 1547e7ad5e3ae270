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

  it('find nothing unacknowledged with pulled sources, syncs to every destination and a model schedule', () => {
    const sync = (
      name: string,
      destination: 'salesforce' | 'zendesk' | 'gainsight' | 'hubspot' | 'webhook',
    ) => ({
      name,
      model: 'marts.customer_health',
      destination,
      object: 'Account',
      matchKey: { destinationField: 'external_id', modelColumn: 'account_id' },
      fields: { health: 'health_score' },
      ...(destination === 'hubspot' ? { schedule: 'rate(1 hour)' } : {}),
    });
    expect(
      findings({
        sources: {
          stripe: { kind: 'stripe', pull: {} },
          zendesk: { kind: 'zendesk', pull: { schedule: 'rate(1 hour)' } },
          app_db: {
            kind: 'postgres',
            tables: [{ name: 'accounts', cursor: 'updated_at', primaryKey: ['id'] }],
          },
        },
        models: { schedule: 'rate(1 day)' },
        syncs: [
          sync('to_salesforce', 'salesforce'),
          sync('to_zendesk', 'zendesk'),
          sync('to_gainsight', 'gainsight'),
          sync('to_hubspot', 'hubspot'),
          sync('to_webhook', 'webhook'),
        ],
        monitors: { freshness: [{ table: 'raw.stripe', warnAfterMinutes: 30, errorAfterMinutes: 60 }] },
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
