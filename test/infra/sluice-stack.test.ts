import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { addSluice } from '../../lib/sluice-app.js';
import { config, sluiceStage, testApp } from './support/sluice-app.js';

const SCHEDULE = 'cron(0/15 * * * ? *)';
const { template } = sluiceStage({ load: { schedule: SCHEDULE } });

/** The Sluice functions (CDK's own custom-resource handlers have no Powertools service name). */
function sluiceFunctions() {
  return template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: Match.anyValue() } } },
  });
}

function functionId(service: string): string {
  return template.getResourceId('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) } },
  });
}

/** Every statement of every inline, default and managed policy in the template. */
function allStatements(): { Effect: string; Action: string | string[]; Resource?: unknown }[] {
  const documents = [
    ...Object.values(template.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map(
      (p) => p.Properties.PolicyDocument,
    ),
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((r) =>
      ((r.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument),
    ),
  ] as { Statement: { Effect: string; Action: string | string[] }[] }[];
  return documents.flatMap((d) => d.Statement);
}

describe('SluiceStack', () => {
  it('deploys ingest, land, load, transform, monitor and migrate, and no pull or sync without config', () => {
    const services = ['ingest', 'land', 'load', 'transform', 'monitor', 'migrate'].map((s) => `sluice-${s}`);
    expect(Object.keys(sluiceFunctions()).sort()).toEqual(services.map(functionId).sort());
  });

  it('deploys the pull and sync functions when the config pulls a source and has a sync', () => {
    const { template: full } = sluiceStage({
      sources: { stripe: { kind: 'stripe', pull: {} } },
      syncs: [
        {
          name: 'health',
          model: 'marts.customer_health',
          destination: 'hubspot',
          object: 'companies',
          matchKey: { destinationField: 'domain', modelColumn: 'account_id' },
          fields: { health: 'health_score' },
        },
      ],
    });
    for (const service of ['sluice-pull', 'sluice-sync'])
      full.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) },
      });
  });

  it('refuses a source marked pull that has no pull connector', () => {
    expect(() => sluiceStage({ sources: { segment: { kind: 'segment', pull: {} } } })).toThrow(
      /segment has no pull connector/,
    );
  });

  it('creates no webhook secret for a postgres source, which is only pulled', () => {
    const { template: withDb } = sluiceStage({
      sources: {
        app_db: {
          kind: 'postgres',
          tables: [{ name: 'accounts', cursor: 'updated_at', primaryKey: ['id'] }],
        },
      },
    });
    const names = Object.values(withDb.findResources('AWS::SecretsManager::Secret')).map(
      (s) => s.Properties.Name as string,
    );
    expect(names).toContain('sluice/dev/SLUICE_APP_DB_URL');
    expect(names).not.toContain('sluice/dev/SLUICE_SALESFORCE_ORG_IDS');
  });

  it('runs every Sluice function on nodejs22.x and arm64', () => {
    for (const fn of Object.values(sluiceFunctions())) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('traces every Sluice function with X-Ray', () => {
    for (const fn of Object.values(sluiceFunctions()))
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('logs every Sluice function as JSON into its own log group with retention', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    for (const fn of Object.values(sluiceFunctions())) {
      expect(fn.Properties.LoggingConfig.LogFormat).toBe('JSON');
      const groupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(groups[groupId]?.Properties.RetentionInDays).toBe(30);
    }
  });

  it('feeds the land function batches of 10,000 messages with a 30 s window and partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('sluice-land') },
      BatchSize: 10000,
      MaximumBatchingWindowInSeconds: 30,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('reserves a concurrency of one for the load function', () => {
    expect(sluiceFunctions()[functionId('sluice-load')]?.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('schedules the load function with the expression of the config', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: SCHEDULE,
      Target: { Arn: { 'Fn::GetAtt': [functionId('sluice-load'), 'Arn'] } },
    });
  });

  it('runs the load function when a landing file is created', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: Match.stringLikeRegexp('^LandingBucket') }] },
          object: { key: [{ prefix: 'landing/' }] },
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('sluice-load'), 'Arn'] } })],
    });
  });

  it('creates a completion-event bus named after the project and stage', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'sluice-dev' });
  });

  it('hands the load function the warehouse, bus and bucket', () => {
    expect(sluiceFunctions()[functionId('sluice-load')]?.Properties.Environment.Variables).toMatchObject({
      REDSHIFT_WORKGROUP: 'sluice-dev',
      REDSHIFT_DATABASE: 'sluice',
      REDSHIFT_COPY_ROLE_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^WarehouseCopyRole/), 'Arn'] },
      EVENT_BUS_NAME: { Ref: expect.stringMatching(/^PipelineBus/) },
      LANDING_BUCKET: { Ref: expect.stringMatching(/^LandingBucket/) },
    });
  });

  it('grants no IAM action "*" and no s3:*', () => {
    const allowed = allStatements()
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => [s.Action].flat());
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.filter((a) => a === '*' || a === 's3:*')).toEqual([]);
  });

  it('creates no Redshift resource for an existing workgroup', () => {
    const existing = sluiceStage({
      warehouse: { redshift: { mode: 'existing-workgroup', workgroupName: 'analytics', database: 'dev' } },
    }).template;
    existing.resourceCountIs('AWS::RedshiftServerless::Namespace', 0);
    existing.resourceCountIs('AWS::RedshiftServerless::Workgroup', 0);
    existing.resourceCountIs('AWS::Redshift::Cluster', 0);
  });

  it('names the stack after the project and stage', () => {
    expect(sluiceStage({ name: 'acme' }, 'prod').stack.stackName).toBe('acme-prod');
  });

  it('refuses destroyOnRemoval for prod', () => {
    expect(() =>
      addSluice(testApp(), { config: config(), stage: 'prod', destroyOnRemoval: true, nag: false }),
    ).toThrow(/refused for the prod stage/);
  });

  it('rejects a stage name that cannot be part of resource names', () => {
    expect(() => addSluice(testApp(), { config: config(), stage: 'Dev_1', nag: false })).toThrow(
      /stage "Dev_1" is invalid/,
    );
  });

  it('rejects a config too large for a Lambda environment', () => {
    const sources = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `source_${i}`,
        { kind: 'webhook' as const, description: 'x'.repeat(80) },
      ]),
    );
    expect(() => sluiceStage({ sources })).toThrow(/Lambda environments hold 4 KB/);
  });
});
