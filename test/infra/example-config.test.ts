import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { sourceSecretName, SALESFORCE_ORG_IDS } from '../../lambdas/core/ingest/source-secrets.js';
import { DESTINATION_SECRETS } from '../../lambdas/destinations/create-destination.js';
import { loadConfigFile } from '../../lambdas/local/config-file.js';
import { PROJECT_ROOT } from '../../lib/constructs/sluice-function.js';
import { pulledSources } from '../../lib/deployment-plan.js';
import { addSluice } from '../../lib/sluice-app.js';
import { testApp } from './support/sluice-app.js';

/**
 * The example `sluice.config.ts`, synthesized as `bin/sluice.ts` does (`-c stage=dev`): everything the config
 * declares must have become a resource. Expectations are read from the config itself, so the test keeps
 * holding as the example grows.
 */
const config = await loadConfigFile(`${PROJECT_ROOT}sluice.config.ts`);
const stack = addSluice(testApp(), { config, stage: 'dev', configDir: PROJECT_ROOT, nag: false });
const template = Template.fromStack(stack);
const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
const scheduleInputs = schedules.map(
  (s) => JSON.parse(s.Properties.Target.Input as string) as Record<string, unknown>,
);
const secretNames = Object.values(template.findResources('AWS::SecretsManager::Secret')).map(
  (s) => s.Properties.Name as string,
);

function functionId(service: string): string {
  return template.getResourceId('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) } },
  });
}

describe('the example config, synthesized', () => {
  it('declares sources, pulls, syncs and freshness SLAs worth checking', () => {
    expect(Object.keys(config.sources).length).toBeGreaterThan(0);
    expect(pulledSources(config).length).toBeGreaterThan(0);
    expect(config.syncs.length).toBeGreaterThan(0);
    expect(config.monitors.freshness.length).toBeGreaterThan(0);
  });

  it('creates the secret of every webhook source', () => {
    for (const [source, { kind }] of Object.entries(config.sources)) {
      const name = kind === 'salesforce' ? SALESFORCE_ORG_IDS : sourceSecretName(source, kind);
      if (name === undefined) continue; // pull-only kinds
      expect(secretNames).toContain(`sluice/dev/${name}`);
    }
  });

  it('creates a raw table for every source in the migration', () => {
    const statements = Object.values(template.findResources('Custom::SluiceMigration'))[0]?.Properties
      .Statements as string[];
    for (const source of Object.keys(config.sources))
      expect(statements.some((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS raw.${source} `))).toBe(true);
  });

  it('schedules every stream of every pulled source', () => {
    for (const { source, streams, schedule } of pulledSources(config)) {
      for (const stream of streams) {
        const index = scheduleInputs.findIndex(
          (input) => input['source'] === source && input['stream'] === stream,
        );
        expect(index, `${source}.${stream}`).toBeGreaterThanOrEqual(0);
        expect(schedules[index]?.Properties.ScheduleExpression).toBe(schedule);
      }
    }
  });

  it('gives every sync a schedule or the after-transform rule', () => {
    const syncArn = { 'Fn::GetAtt': [functionId('sluice-sync'), 'Arn'] };
    for (const sync of config.syncs) {
      if (sync.schedule) {
        expect(scheduleInputs).toContainEqual(expect.objectContaining({ detail: { sync: sync.name } }));
      } else {
        template.hasResourceProperties('AWS::Events::Rule', {
          EventPattern: { source: ['sluice'], 'detail-type': ['sluice.transform.completed'] },
          Targets: [Match.objectLike({ Arn: syncArn })],
        });
      }
    }
  });

  it('creates the secrets of every sync destination', () => {
    for (const destination of new Set(config.syncs.map((s) => s.destination)))
      for (const name of DESTINATION_SECRETS[destination])
        expect(secretNames).toContain(`sluice/dev/${name}`);
  });

  it('raises an alarm for every freshness SLA', () => {
    for (const sla of config.monitors.freshness) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'FreshnessMinutes',
        Dimensions: Match.arrayWith([{ Name: 'table', Value: sla.table }]),
        Threshold: sla.errorAfterMinutes,
        TreatMissingData: 'breaching',
      });
    }
  });

  it('runs the model runner after loads, the load and the monitor on their schedules', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'detail-type': Match.arrayWith(['sluice.load.completed']) },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('sluice-transform'), 'Arn'] } })],
    });
    for (const [service, expression] of [
      ['sluice-load', config.load.schedule],
      ['sluice-monitor', config.monitors.schedule],
    ] as const) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: expression,
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId(service), 'Arn'] } }),
      });
    }
  });
});
