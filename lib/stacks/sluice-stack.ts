import { resolve } from 'node:path';
import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedConfig } from '../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { PROJECT_ROOT } from '../constructs/sluice-function.js';
import { SluiceIngest } from '../constructs/sluice-ingest.js';
import { SluiceLanding } from '../constructs/sluice-landing.js';
import { SluiceMigration } from '../constructs/sluice-migration.js';
import { SluiceMonitoring } from '../constructs/sluice-monitoring.js';
import { SluicePipeline } from '../constructs/sluice-pipeline.js';
import { SluicePull } from '../constructs/sluice-pull.js';
import { SluiceSecrets } from '../constructs/sluice-secrets.js';
import { SluiceSync } from '../constructs/sluice-sync.js';
import { SluiceTransform } from '../constructs/sluice-transform.js';
import { SluiceWarehouse } from '../constructs/sluice-warehouse.js';
import { configJson, pulledSources } from '../deployment-plan.js';

/** Properties of {@link SluiceStack}. */
export interface SluiceStackProps extends StackProps {
  /** The resolved `sluice.config.ts`. */
  readonly config: ResolvedConfig;
  /** Deployment stage (`dev`, `prod`, …): part of every name, so stages can share an account. */
  readonly stage: string;
  /**
   * Delete the landing zone and the warehouse with the stack. Refused for `prod`.
   * @default false
   */
  readonly destroyOnRemoval?: boolean;
  /**
   * Folder the config file is in: `models.path` is relative to it.
   * @default the project root
   */
  readonly configDir?: string;
}

/**
 * One stage of Sluice in one stack, decided by the config: landing zone, ingest (API, queue, one secret per
 * webhook source), warehouse and its migration, pipeline (land, load, bus), the model runner and its triggers,
 * one schedule per pulled stream, the sync function with one schedule or rule per sync, and monitoring (one
 * alarm per freshness SLA, error and dead-letter alarms, the dashboard, the alert topic).
 *
 * Why one stack rather than storage / ingest / warehouse / pipeline stacks: every piece references the others
 * at least once (the bucket and its key are used by all of them, the queue by ingest, pull and land, the
 * warehouse by load, transform, sync and monitor), so a split turns each reference into a cross-stack output
 * that pins the producer until every consumer is redeployed, and the stages could only be deployed in order.
 * It also keeps security review exact: cdk-nag v3 acknowledgments name each wildcard finding
 * (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/landing/*]`), which cross-stack references would render as opaque
 * `Fn::GetStackOutput` objects. Stateful resources are protected by their removal policies instead (bucket,
 * keys, namespace, workgroup, secrets and log groups are retained unless `destroyOnRemoval`), and the
 * constructs stay separable should a split ever pay off.
 */
export class SluiceStack extends Stack {
  /** The landing zone. */
  readonly landing: SluiceLanding;
  /** The HTTP entry and queue. */
  readonly ingest: SluiceIngest;
  /** The warehouse. */
  readonly warehouse: SluiceWarehouse;
  /** Land, load and the completion bus. */
  readonly pipeline: SluicePipeline;
  /** Vendor credentials (pull, sync, Slack). */
  readonly secrets: SluiceSecrets;
  /** The model runner. */
  readonly transform: SluiceTransform;
  /** Pull schedules, when a source is pulled. */
  readonly pull?: SluicePull;
  /** Reverse ETL, when the config has syncs. */
  readonly sync?: SluiceSync;
  /** Alarms, dashboard, alert topic and the monitor function. */
  readonly monitoring: SluiceMonitoring;
  /** The warehouse migration that runs on every deploy that changes it. */
  readonly migration: SluiceMigration;

  constructor(scope: Construct, id: string, props: SluiceStackProps) {
    super(scope, id, props);
    const { config, stage } = props;
    if (props.destroyOnRemoval && stage === 'prod') {
      throw new Error(
        'destroyOnRemoval is refused for the prod stage: the landing zone and warehouse hold the data',
      );
    }
    const resourceName = `${config.name}-${stage}`;
    const secretsPrefix = `${config.name}/${stage}/`;
    const destroyOnRemoval = props.destroyOnRemoval ?? false;
    const modelsDir = resolve(props.configDir ?? PROJECT_ROOT, config.models.path);
    Tags.of(this).add('sluice:project', config.name);
    Tags.of(this).add('sluice:stage', stage);
    // Ingest, land and load read sources, landing, load and warehouse; the 4 KB Lambda environment need not
    // carry the monitors' SQL or the syncs' field maps to them.
    const dataPathConfig = resolveConfig(
      JSON.parse(configJson(config, ['sources', 'landing', 'load', 'warehouse'])) as Record<string, unknown>,
    );

    this.landing = new SluiceLanding(this, 'Landing', { destroyOnRemoval });
    this.ingest = new SluiceIngest(this, 'Ingest', {
      config: dataPathConfig,
      bucket: this.landing.bucket,
      key: this.landing.key,
      secretsPrefix,
    });
    this.warehouse = new SluiceWarehouse(this, 'Warehouse', {
      redshift: config.warehouse.redshift,
      resourceName,
      bucket: this.landing.bucket,
      bucketKey: this.landing.key,
      destroyOnRemoval,
    });
    this.pipeline = new SluicePipeline(this, 'Pipeline', {
      config: dataPathConfig,
      bucket: this.landing.bucket,
      key: this.landing.key,
      queue: this.ingest.queue,
      deadLetterQueue: this.ingest.deadLetterQueue,
      warehouse: this.warehouse,
      eventBusName: resourceName,
    });
    this.secrets = new SluiceSecrets(this, 'Secrets', { prefix: secretsPrefix });

    this.transform = new SluiceTransform(this, 'Transform', {
      warehouse: this.warehouse,
      bus: this.pipeline.bus,
      key: this.landing.key,
      modelsDir,
      ...(config.models.schedule ? { schedule: config.models.schedule } : {}),
    });

    const pulled = pulledSources(config);
    if (pulled.length > 0) {
      this.pull = new SluicePull(this, 'Pull', {
        sources: pulled,
        queue: this.ingest.queue,
        bucket: this.landing.bucket,
        key: this.landing.key,
        secrets: this.secrets,
        configJson: configJson(config, ['sources']),
      });
    }
    if (config.syncs.length > 0) {
      this.sync = new SluiceSync(this, 'Sync', {
        syncs: config.syncs,
        // Sources too: a sync to Salesforce spends the share of the org's quota its pull connector is given.
        configJson: configJson(config, ['syncs', 'sources']),
        warehouse: this.warehouse,
        bus: this.pipeline.bus,
        secrets: this.secrets,
        bucket: this.landing.bucket,
        key: this.landing.key,
      });
    }

    const functions = [
      { name: 'ingest', function: this.ingest.ingest.function },
      { name: 'land', function: this.pipeline.land.function },
      { name: 'load', function: this.pipeline.load.function },
      { name: 'transform', function: this.transform.transform.function },
      ...(this.pull ? [{ name: 'pull', function: this.pull.pull.function }] : []),
      ...(this.sync ? [{ name: 'sync', function: this.sync.sync.function }] : []),
    ];
    this.monitoring = new SluiceMonitoring(this, 'Monitoring', {
      configJson: configJson(config, ['sources', 'syncs', 'monitors', 'alerts', 'owners']),
      schedule: config.monitors.schedule,
      freshness: config.monitors.freshness,
      warehouse: this.warehouse,
      bus: this.pipeline.bus,
      secrets: this.secrets,
      key: this.landing.key,
      functions,
      // The ingest dead-letter queue keeps its own alarm (SluiceIngest); it is routed to the topic below.
      deadLetterQueues: [
        { name: 'transform', queue: this.transform.deadLetterQueue },
        ...(this.pull ? [{ name: 'pull', queue: this.pull.deadLetterQueue }] : []),
        ...(this.sync ? [{ name: 'sync', queue: this.sync.deadLetterQueue }] : []),
      ],
      queue: this.ingest.queue,
      ingestDeadLetterQueue: this.ingest.deadLetterQueue,
      digestSchedule: config.alerts.digest.schedule,
      modelsDir,
      sources: Object.keys(config.sources),
      syncs: config.syncs.map((sync) => sync.name),
      dashboardName: resourceName,
    });
    this.ingest.deadLetterAlarm.addAlarmAction(this.monitoring.alarmAction);
    this.ingest.deadLetterAlarm.addOkAction(this.monitoring.alarmAction);

    this.migration = new SluiceMigration(this, 'Migration', {
      warehouse: this.warehouse,
      rawSources: [...Object.keys(config.sources), ...pulled.map((p) => p.source)],
      roles: [
        this.pipeline.load.role,
        this.transform.transform.role,
        this.monitoring.monitor.role,
        ...(this.sync ? [this.sync.sync.role] : []),
      ],
      modelsDir,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.ingest.api.apiEndpoint,
      description: 'Base URL of the Sluice routes',
    });
    new CfnOutput(this, 'LandingBucketName', { value: this.landing.bucket.bucketName });
    new CfnOutput(this, 'QueueUrl', { value: this.ingest.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.ingest.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'EventBusName', { value: this.pipeline.bus.eventBusName });
    new CfnOutput(this, 'CopyRoleArn', {
      value: this.warehouse.copyRole.roleArn,
      description: 'Associate this role with an existing workgroup or cluster so COPY can read landing files',
    });
    new CfnOutput(this, 'SecretsPrefix', {
      value: secretsPrefix,
      description: 'Create each secret as <prefix><NAME>, e.g. <prefix>SLUICE_STRIPE_WEBHOOK_SECRET',
    });
    new CfnOutput(this, 'AlertTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Subscribe e-mail, PagerDuty or AWS Chatbot to receive every Sluice alarm',
    });
    new CfnOutput(this, 'DashboardName', { value: resourceName });
  }
}
