import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SluiceTransform } from '../../lib/constructs/sluice-transform.js';
import {
  constructStack,
  roleOfService,
  stableTemplate,
  statementsOfRole,
} from './support/construct-stack.js';
import type { SyncConfig } from '../../lambdas/core/config/config-types.js';
import { SluiceSync } from '../../lib/constructs/sluice-sync.js';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SluicePull, pullScheduleId } from '../../lib/constructs/sluice-pull.js';
import { pulledSources } from '../../lib/deployment-plan.js';
import { config, testStack } from './support/sluice-app.js';
import { Duration } from 'aws-cdk-lib';
import { SluiceMonitoring, schedulePeriod } from '../../lib/constructs/sluice-monitoring.js';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SluiceLanding } from '../../lib/constructs/sluice-landing.js';
import { SluiceMigration } from '../../lib/constructs/sluice-migration.js';
import { SluiceWarehouse } from '../../lib/constructs/sluice-warehouse.js';
import { ddlHash, migrationDdl } from '../../lib/migration-ddl.js';

/*
 * The step constructs, each on its own in a small stack (support/construct-stack.ts): snapshot plus
 * fine-grained assertions per construct. They share one file so the CDK library is loaded once.
 */

describe('SluiceTransform construct', () => {
  function transformTemplate(schedule?: string): Template {
    const { stack, landing, warehouse, bus } = constructStack();
    new SluiceTransform(stack, 'Transform', {
      warehouse,
      bus,
      key: landing.key,
      ...(schedule ? { schedule } : {}),
    });
    return Template.fromStack(stack);
  }

  const template = transformTemplate('rate(1 day)');
  const transformFunction = () =>
    Object.entries(
      template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'sluice-transform' }) },
        },
      }),
    )[0] as [string, { Properties: Record<string, unknown> }];

  describe('SluiceTransform', () => {
    it('matches its snapshot', () => {
      expect(stableTemplate(template)).toMatchSnapshot();
    });

    it('runs one DAG at a time, for up to 15 minutes, on arm64 and nodejs22.x', () => {
      const [, fn] = transformFunction();
      expect(fn.Properties).toMatchObject({
        ReservedConcurrentExecutions: 1,
        Timeout: 900,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    });

    it('hands the function the warehouse and the bus', () => {
      const [, fn] = transformFunction();
      expect(
        (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables,
      ).toMatchObject({
        REDSHIFT_WORKGROUP: 'analytics',
        REDSHIFT_DATABASE: 'dev',
        REDSHIFT_COPY_ROLE_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^WarehouseCopyRole/), 'Arn'] },
        EVENT_BUS_NAME: { Ref: expect.stringMatching(/^Bus/) },
      });
    });

    it('runs after a load and continues a run that deferred models, on the Sluice bus', () => {
      const [id] = transformFunction();
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
        EventPattern: {
          source: ['sluice'],
          'detail-type': ['sluice.load.completed', 'sluice.transform.completed'],
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [id, 'Arn'] } })],
      });
    });

    it('runs every model on models.schedule', () => {
      const [id] = transformFunction();
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 day)',
        Target: { Arn: { 'Fn::GetAtt': [id, 'Arn'] }, Input: Match.stringLikeRegexp('Scheduled Transform') },
      });
    });

    it('creates no schedule when models.schedule is unset', () => {
      transformTemplate().resourceCountIs('AWS::Scheduler::Schedule', 0);
    });

    it('sends failed invocations to an encrypted dead-letter queue', () => {
      const [, fn] = transformFunction();
      const queueId = (
        (fn.Properties['DeadLetterConfig'] as { TargetArn: { 'Fn::GetAtt': string[] } }).TargetArn[
          'Fn::GetAtt'
        ] as string[]
      )[0];
      expect(
        template.findResources('AWS::SQS::Queue')[queueId as string]?.Properties.KmsMasterKeyId,
      ).toBeDefined();
    });

    it('runs SQL on the configured workgroup only and publishes to the Sluice bus only', () => {
      const statements = statementsOfRole(template, roleOfService(template, 'sluice-transform'));
      const execute = statements.find((s) => [s.Action].flat().includes('redshift-data:ExecuteStatement'));
      expect(execute?.Resource).toEqual({
        'Fn::Join': ['', expect.arrayContaining([':redshift-serverless:', ':workgroup/*'])],
      });
      const publish = statements.find((s) => s.Sid === 'PublishCompletionEvents');
      expect(publish?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Bus/), 'Arn'] });
    });
  });
});

describe('SluiceSync construct', () => {
  const SYNCS: SyncConfig[] = [
    {
      name: 'health_to_salesforce',
      model: 'marts.customer_health',
      destination: 'salesforce',
      object: 'Account',
      matchKey: { destinationField: 'Sluice_Id__c', modelColumn: 'account_id' },
      fields: { Health_Score__c: 'health_score' },
      schedule: 'rate(1 hour)',
    },
    {
      name: 'health_to_zendesk',
      model: 'marts.customer_health',
      destination: 'zendesk',
      object: 'organizations',
      matchKey: { destinationField: 'external_id', modelColumn: 'account_id' },
      fields: { health_score: 'health_score' },
    },
  ];

  function syncTemplate(syncs: readonly SyncConfig[]): Template {
    const { stack, landing, warehouse, bus, secrets } = constructStack();
    new SluiceSync(stack, 'Sync', {
      syncs,
      configJson: JSON.stringify({ name: 'sluice', syncs }),
      warehouse,
      bus,
      secrets,
      bucket: landing.bucket,
      key: landing.key,
    });
    return Template.fromStack(stack);
  }

  const template = syncTemplate(SYNCS);
  const syncArn = () => ({ 'Fn::GetAtt': [functionId(), 'Arn'] });
  function functionId(): string {
    return template.getResourceId('AWS::Lambda::Function', {
      Properties: {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'sluice-sync' }) },
      },
    });
  }

  describe('SluiceSync', () => {
    it('matches its snapshot', () => {
      expect(stableTemplate(template)).toMatchSnapshot();
    });

    it('runs the unscheduled syncs after a transform', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['sluice'], 'detail-type': ['sluice.transform.completed'] },
        Targets: [Match.objectLike({ Arn: syncArn() })],
      });
    });

    it('gives each scheduled sync its own schedule naming it', () => {
      template.resourceCountIs('AWS::Scheduler::Schedule', 1);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 hour)',
        Target: {
          Arn: syncArn(),
          Input: JSON.stringify({
            'detail-type': 'sluice.sync.scheduled',
            source: 'sluice.scheduler',
            detail: { sync: 'health_to_salesforce' },
          }),
        },
      });
    });

    it('adds no transform rule when every sync is scheduled', () => {
      syncTemplate(SYNCS.slice(0, 1)).resourceCountIs('AWS::Events::Rule', 0);
    });

    it('creates one placeholder secret per credential of each configured destination', () => {
      const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
      expect(secrets.map((s) => s.Properties.Name).sort()).toEqual([
        'sluice/test/SLUICE_SALESFORCE_CLIENT_ID',
        'sluice/test/SLUICE_SALESFORCE_CLIENT_SECRET',
        'sluice/test/SLUICE_SALESFORCE_LOGIN_URL',
        'sluice/test/SLUICE_ZENDESK_API_TOKEN',
        'sluice/test/SLUICE_ZENDESK_BASE_URL',
        'sluice/test/SLUICE_ZENDESK_EMAIL',
      ]);
      for (const secret of secrets) {
        expect(secret.Properties.GenerateSecretString).toBeDefined();
        expect(secret.Properties.SecretString).toBeUndefined();
      }
    });

    it('lets the function read those secrets by name and nothing else', () => {
      const read = statementsOfRole(template, roleOfService(template, 'sluice-sync')).find(
        (s) => s.Sid === 'ReadNamedSecrets',
      );
      const resources = JSON.stringify(read?.Resource);
      expect(resources).toContain('secret:sluice/test/SLUICE_SALESFORCE_CLIENT_ID-??????');
      expect(resources).not.toContain('HUBSPOT');
      expect(resources).not.toMatch(/sluice\/test\/\*/);
    });

    it('keeps the vendor budgets it shares with the pull connectors under budgets/ only', () => {
      const keep = statementsOfRole(template, roleOfService(template, 'sluice-sync')).find(
        (s) => s.Sid === 'KeepVendorBudgets',
      );
      expect(keep?.Action).toEqual(['s3:GetObject', 's3:PutObject']);
      expect(JSON.stringify(keep?.Resource)).toContain('/budgets/*');
      expect(JSON.stringify(keep?.Resource)).not.toContain('/landing/');
    });

    it('runs one sync invocation at a time and keeps failed invocations in a dead-letter queue', () => {
      const fn = template.findResources('AWS::Lambda::Function')[functionId()];
      expect(fn?.Properties.ReservedConcurrentExecutions).toBe(1);
      expect(fn?.Properties.DeadLetterConfig.TargetArn).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^SyncDeadLetterQueue/), 'Arn'],
      });
    });
  });
});

describe('SluicePull construct', () => {
  const PULLED = pulledSources(
    config({
      sources: {
        stripe: { kind: 'stripe', pull: {} },
        zendesk: { kind: 'zendesk', pull: { schedule: 'rate(1 hour)' } },
        segment: { kind: 'segment' },
      },
    }),
  );

  const { stack, landing, secrets } = constructStack();
  const queue = new sqs.Queue(stack, 'Queue');
  new SluicePull(stack, 'Pull', {
    sources: PULLED,
    queue,
    bucket: landing.bucket,
    key: landing.key,
    secrets,
    configJson: '{}',
  });
  const template = Template.fromStack(stack);
  const pullArn = () => ({
    'Fn::GetAtt': [
      template.getResourceId('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'sluice-pull' }) },
        },
      }),
      'Arn',
    ],
  });

  describe('pulledSources', () => {
    it('pulls the sources the config marks with pull, and no other', () => {
      expect(PULLED.map((p) => p.source)).toEqual(['stripe', 'zendesk']);
    });

    it("reads each source's streams from its connector", () => {
      expect(PULLED[0]?.streams).toEqual(expect.arrayContaining(['customers', 'subscriptions', 'invoices']));
    });

    it('refuses pull on a source that has no pull connector', () => {
      expect(() => pulledSources(config({ sources: { segment: { kind: 'segment', pull: {} } } }))).toThrow(
        /segment has no pull connector/,
      );
    });
  });

  describe('SluicePull', () => {
    it('matches its snapshot', () => {
      expect(stableTemplate(template)).toMatchSnapshot();
    });

    it('schedules every stream of every pulled source with { source, stream }', () => {
      const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
      const inputs = schedules.map((s) => JSON.parse(s.Properties.Target.Input as string));
      const expected = PULLED.flatMap(({ source, streams }) => streams.map((stream) => ({ source, stream })));
      expect(inputs).toEqual(expect.arrayContaining(expected));
      expect(schedules).toHaveLength(expected.length);
      for (const schedule of schedules) expect(schedule.Properties.Target.Arn).toEqual(pullArn());
    });

    it('uses each source’s schedule expression', () => {
      const expression = (source: string) =>
        Object.values(template.findResources('AWS::Scheduler::Schedule'))
          .filter((s) => JSON.parse(s.Properties.Target.Input as string).source === source)
          .map((s) => s.Properties.ScheduleExpression as string);
      expect(new Set(expression('stripe'))).toEqual(new Set(['rate(15 minutes)']));
      expect(new Set(expression('zendesk'))).toEqual(new Set(['rate(1 hour)']));
    });

    it('names schedules after source and stream', () => {
      expect(pullScheduleId('stripe', 'invoice_items')).toBe('PullStripeInvoiceItems');
    });

    it('lets the scheduler role invoke the pull function and nothing else', () => {
      const roleId = template.getResourceId('AWS::IAM::Role', {
        Properties: { Description: 'Sluice: lets EventBridge Scheduler invoke the pull function' },
      });
      const actions = statementsOfRole(template, roleId).flatMap((s) => [s.Action].flat());
      expect([...new Set(actions)]).toEqual(['lambda:InvokeFunction']);
    });

    it('creates the connectors’ secrets as placeholders', () => {
      const names = Object.values(template.findResources('AWS::SecretsManager::Secret')).map(
        (s) => s.Properties.Name as string,
      );
      expect(names.sort()).toEqual([
        'sluice/test/SLUICE_STRIPE_API_KEY',
        'sluice/test/SLUICE_ZENDESK_API_TOKEN',
        'sluice/test/SLUICE_ZENDESK_EMAIL',
      ]);
    });

    it('keeps cursors, leases, budgets and stream fields under their prefixes only', () => {
      const state = statementsOfRole(template, roleOfService(template, 'sluice-pull')).find(
        (s) => s.Sid === 'KeepCursorsLeasesAndBudgets',
      );
      const text = JSON.stringify(state?.Resource);
      for (const prefix of ['/cursors/*', '/leases/*', '/budgets/*', '/pull-fields/*'])
        expect(text).toContain(prefix);
      expect(state?.Resource).toHaveLength(4);
    });

    it('keeps failed invocations in a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'sluice-pull' }) },
        DeadLetterConfig: {
          TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PullDeadLetterQueue'), 'Arn'] },
        },
      });
    });
  });
});

describe('SluiceMonitoring construct', () => {
  const { stack, landing, warehouse, bus, secrets } = constructStack();
  const queue = new sqs.Queue(stack, 'Queue');
  const ingestDlq = new sqs.Queue(stack, 'IngestDlq');
  const otherDlq = new sqs.Queue(stack, 'SyncDlq');
  new SluiceMonitoring(stack, 'Monitoring', {
    configJson: '{}',
    schedule: 'rate(5 minutes)',
    digestSchedule: 'cron(0 8 * * ? *)',
    freshness: [
      { table: 'raw.stripe', warnAfterMinutes: 30, errorAfterMinutes: 120 },
      { table: 'marts.customer_health', warnAfterMinutes: 60, errorAfterMinutes: 1440 },
    ],
    warehouse,
    bus,
    secrets,
    key: landing.key,
    functions: [],
    deadLetterQueues: [{ name: 'sync', queue: otherDlq }],
    queue,
    ingestDeadLetterQueue: ingestDlq,
    sources: ['stripe', 'segment'],
    syncs: ['health_to_salesforce'],
  });
  const template = Template.fromStack(stack);
  const topicRef = () => ({ Ref: template.getResourceId('AWS::SNS::Topic') });

  describe('SluiceMonitoring', () => {
    it('matches its snapshot', () => {
      expect(stableTemplate(template)).toMatchSnapshot();
    });

    it('raises one alarm per freshness SLA on FreshnessMinutes, missing data breaching', () => {
      for (const [table, threshold] of [
        ['raw.stripe', 120],
        ['marts.customer_health', 1440],
      ] as const) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'Sluice',
          MetricName: 'FreshnessMinutes',
          Dimensions: Match.arrayWith([{ Name: 'table', Value: table }]),
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'breaching',
          AlarmActions: [topicRef()],
        });
      }
    });

    it('watches every dead-letter queue it is given, and its own', () => {
      const alarms = template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'ApproximateNumberOfMessagesVisible' },
      });
      const queues = Object.values(alarms).map((a) => JSON.stringify(a.Properties.Dimensions));
      expect(queues).toHaveLength(2);
      expect(queues.some((q) => q.includes('SyncDlq'))).toBe(true);
      expect(queues.some((q) => q.includes('MonitoringDeadLetterQueue'))).toBe(true);
    });

    it('alarms on errors of the monitor function', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Threshold: 0,
        AlarmActions: [topicRef()],
      });
    });

    it('counts failed or aborted Redshift statements of this stack and alarms on them', () => {
      const ruleId = template.getResourceId('AWS::Events::Rule', {
        Properties: { EventPattern: Match.objectLike({ source: ['aws.redshift-data'] }) },
      });
      const rule = template.findResources('AWS::Events::Rule')[ruleId];
      expect(rule?.Properties.EventPattern.detail).toEqual({
        state: ['FAILED', 'ABORTED'],
        statementName: [{ prefix: 'Test' }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Events',
        MetricName: 'MatchedEvents',
        Dimensions: [{ Name: 'RuleName', Value: { Ref: ruleId } }],
      });
    });

    it('encrypts the alert topic with a rotated key that CloudWatch may use, and refuses plain HTTP', () => {
      const topic = Object.values(template.findResources('AWS::SNS::Topic'))[0];
      expect(topic?.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^MonitoringTopicKey/), 'Arn'],
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('runs the monitor on its schedule and sends the digest on its own', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 8 * * ? *)',
        Target: Match.objectLike({ Input: Match.stringLikeRegexp('"action":"digest"') }),
      });
    });

    it('announces failed steps at once', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['sluice'], 'detail-type': ['sluice.step.failed'] },
      });
    });

    it('hands the monitor the topic, the queues and the Slack secret, and lets it read only that secret', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            POWERTOOLS_SERVICE_NAME: 'sluice-monitor',
            SLUICE_ALERT_TOPIC_ARN: topicRef(),
            QUEUE_URL: Match.anyValue(),
            DLQ_URL: Match.anyValue(),
            SECRETS_PREFIX: 'sluice/test/',
          }),
        },
      });
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'sluice/test/SLUICE_SLACK_WEBHOOK_URL',
      });
      const read = statementsOfRole(template, roleOfService(template, 'sluice-monitor')).find(
        (s) => s.Sid === 'ReadNamedSecrets',
      );
      expect(JSON.stringify(read?.Resource)).toContain('SLUICE_SLACK_WEBHOOK_URL-??????');
      expect([read?.Resource].flat()).toHaveLength(1);
    });

    it('draws every panel of the dashboard', () => {
      const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
      const body = JSON.stringify(dashboard?.Properties.DashboardBody);
      for (const title of [
        'Events in per source',
        'Ingest queue: depth and age',
        'Dead-letter queues',
        'Load latency',
        'Freshness per table',
        'Model runs',
        'Sync results',
        'Anomalies',
      ])
        expect(body).toContain(title);
      expect(body).toContain('source=\\\\\\"stripe\\\\\\"');
    });
  });

  describe('schedulePeriod', () => {
    it('is twice a rate, at least five minutes', () => {
      expect(schedulePeriod('rate(1 minute)').toMinutes()).toBe(5);
      expect(schedulePeriod('rate(15 minutes)').toMinutes()).toBe(30);
      expect(schedulePeriod('rate(1 hour)').toMinutes()).toBe(120);
    });

    it('is an hour for a cron expression', () => {
      expect(schedulePeriod('cron(0 8 * * ? *)')).toEqual(Duration.hours(1));
    });
  });
});

describe('SluiceMigration construct', () => {
  const stack = testStack();
  const landing = new SluiceLanding(stack, 'Landing');
  const warehouse = new SluiceWarehouse(stack, 'Warehouse', {
    redshift: { mode: 'serverless' },
    resourceName: 'sluice-test',
    bucket: landing.bucket,
    bucketKey: landing.key,
  });
  const loadRole = new iam.Role(stack, 'LoadRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  const migration = new SluiceMigration(stack, 'Migration', {
    warehouse,
    rawSources: ['stripe', 'segment', 'stripe'],
    roles: [loadRole],
  });
  const template = Template.fromStack(stack);
  const resource = () => Object.values(template.findResources('Custom::SluiceMigration'))[0];

  describe('migrationDdl', () => {
    it('creates the schemas, one raw table per source and every ops table, once each', () => {
      const ddl = migrationDdl(['stripe', 'segment', 'stripe']);
      const tables = ddl.map((s) => /^CREATE TABLE IF NOT EXISTS (\S+)/.exec(s)?.[1]).filter(Boolean);
      expect(tables).toEqual([
        'ops.load_ledger',
        'raw.segment',
        'raw.stripe',
        'ops.quarantine',
        'ops.model_runs',
        'ops.model_tests',
        'ops.sync_state',
        'ops.sync_runs',
        'ops.sync_rejections',
        'ops.sync_writes',
        'ops.monitor_results',
        'ops.alerts',
      ]);
      expect(new Set(ddl).size).toBe(ddl.length);
    });

    it('changes its hash when a source is added', () => {
      expect(ddlHash(migrationDdl(['stripe']))).not.toBe(ddlHash(migrationDdl(['stripe', 'zendesk'])));
    });
  });

  describe('SluiceMigration', () => {
    it('matches its snapshot', () => {
      expect(stableTemplate(template)).toMatchSnapshot();
    });

    it('carries the DDL and its hash, so CloudFormation re-runs it when the DDL changes', () => {
      expect(resource()?.Properties.Statements).toEqual(migrationDdl(['segment', 'stripe']));
      expect(resource()?.Properties.DdlHash).toBe(migration.ddlHash);
      expect(resource()?.Properties.ModelsHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('names the roles whose database users it grants', () => {
      expect(resource()?.Properties.RoleNames).toEqual([{ Ref: expect.stringMatching(/^LoadRole/) }]);
    });

    it('runs after the namespace and the workgroup exist', () => {
      const dependsOn = resource()?.DependsOn as string[];
      expect(dependsOn).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^WarehouseNamespace/),
          expect.stringMatching(/^WarehouseWorkgroup/),
        ]),
      );
    });

    it("may read the namespace's Redshift-managed admin secret, and decrypt it with the warehouse key only", () => {
      const statements = statementsOfRole(template, roleOfService(template, 'sluice-migrate'));
      const admin = statements.find((s) => s.Sid === 'RunAsNamespaceAdmin');
      expect(JSON.stringify(admin?.Resource)).toContain(':secret:redshift!*');
      const decrypt = statements.find((s) => s.Sid === 'DecryptAdminSecret');
      expect(decrypt?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WarehouseKey/), 'Arn'] });
    });

    it('hands the function the namespace to look the admin secret up', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { REDSHIFT_NAMESPACE: 'sluice-test', REDSHIFT_WORKGROUP: 'sluice-test' } },
      });
    });
  });
});
