import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FreshnessConfig } from '../../lambdas/core/config/config-types.js';
import { failedInvocationsQueue } from './failed-invocations-queue.js';
import { LambdaSchedules } from './lambda-schedules.js';
import { PROJECT_ROOT, SluiceFunction } from './sluice-function.js';
import { DATA_API_STATUS_CHANGE } from './sluice-pipeline.js';
import type { SluiceSecrets } from './sluice-secrets.js';
import { SLUICE_EVENT_SOURCE } from './sluice-transform.js';
import type { SluiceWarehouse } from './sluice-warehouse.js';

/** CloudWatch namespace of Sluice's metrics (the EMF adapter's `METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'Sluice';

/** Metric the monitor publishes per table: minutes since the table's newest row (dimensions `service`, `table`). */
export const FRESHNESS_METRIC = 'FreshnessMinutes';

/** Detail type of the monitor's scheduled actions other than a run (the daily digest). */
export const MONITOR_SCHEDULE_DETAIL_TYPE = 'sluice.monitor.scheduled';

/** Secret holding the Slack incoming-webhook URL alerts are posted to. */
export const SLACK_WEBHOOK_SECRET = 'SLUICE_SLACK_WEBHOOK_URL';

/**
 * Memory of the monitor function: it runs a handful of small aggregate queries through the Data API and posts
 * a few messages, so the smallest size that keeps its cold start short (512 MB) is enough.
 */
export const MONITOR_MEMORY_MB = 512;

/** A function whose errors raise an alarm. */
export interface WatchedFunction {
  /** Short name used in the alarm and dashboard (`load`). */
  readonly name: string;
  readonly function: lambda.IFunction;
}

/** A dead-letter queue whose depth raises an alarm. */
export interface WatchedQueue {
  /** Short name used in the alarm and dashboard (`ingest`). */
  readonly name: string;
  readonly queue: sqs.IQueue;
}

/** Properties of {@link SluiceMonitoring}. */
export interface SluiceMonitoringProps {
  /** The resolved config as JSON (`SLUICE_CONFIG_JSON`; the monitor reads `monitors`). */
  readonly configJson: string;
  /** `monitors.schedule`: when the monitor runs. */
  readonly schedule: string;
  /** `monitors.freshness`: one alarm per SLA, on the monitor's freshness metric. */
  readonly freshness: readonly FreshnessConfig[];
  /** The warehouse the monitors query. */
  readonly warehouse: SluiceWarehouse;
  /** The completion-event bus: `sluice.step.failed` in, `sluice.monitor.alert` out. */
  readonly bus: events.IEventBus;
  /** The vendor-credential registry; the Slack webhook URL secret is created there. */
  readonly secrets: SluiceSecrets;
  /** The key of the monitor's dead-letter queue. */
  readonly key: kms.IKey;
  /** Functions whose errors raise an alarm (the monitor's own is added). */
  readonly functions: readonly WatchedFunction[];
  /** Dead-letter queues whose depth raises an alarm (the monitor's own is added). */
  readonly deadLetterQueues: readonly WatchedQueue[];
  /** The ingest queue, for depth and age on the dashboard. */
  readonly queue: sqs.IQueue;
  /** The ingest dead-letter queue: the monitor checks its depth and alerts when it is not empty. */
  readonly ingestDeadLetterQueue: sqs.IQueue;
  /** `alerts.digest.schedule`: the daily digest of incidents by owner. */
  readonly digestSchedule: string;
  /** The models project, bundled for the `.yml` source freshness rules. @default `<project>/models` */
  readonly modelsDir?: string;
  /** Source names, for events in per source on the dashboard. */
  readonly sources: readonly string[];
  /** Sync names, for sync results on the dashboard. */
  readonly syncs: readonly string[];
  /**
   * Prefix of the names of the Redshift statements Sluice starts with events (the load's are
   * `<stack>-load`); failed or aborted ones raise an alarm. @default the stack name
   */
  readonly statementNamePrefix?: string;
  /** Name of the dashboard. @default - generated */
  readonly dashboardName?: string;
  /** Retention of the function logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Period of a metric published on `schedule`: twice the interval of a `rate(…)` (so one late run does not
 * leave an empty period), at least 5 minutes; an hour for `cron(…)` and `at(…)`.
 */
export function schedulePeriod(schedule: string): Duration {
  const match = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(schedule.trim());
  if (!match) return Duration.hours(1);
  const unit = match[2] ?? 'minutes';
  const minutes = Number(match[1]) * (unit.startsWith('minute') ? 1 : unit.startsWith('hour') ? 60 : 1440);
  return Duration.minutes(Math.max(5, minutes * 2));
}

/** Alarm-name-safe form of a table name (`raw.stripe` → `raw-stripe`). */
function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-');
}

/**
 * Monitoring in AWS: the monitor function on `monitors.schedule` (freshness, volume and anomaly checks; Slack
 * messages through the webhook URL secret), an SNS topic for alerts (KMS-encrypted, TLS only) that every alarm
 * notifies so e-mail, PagerDuty or AWS Chatbot can subscribe, and the alarms that catch what the monitor
 * cannot see from inside: one per freshness SLA on the monitor's metric with missing data treated as breaching
 * (a dead monitor, or a monitor that cannot reach the warehouse, alarms too), one per function on errors, one
 * per dead-letter queue on depth, and one on failed or aborted Redshift statements. A CloudWatch dashboard
 * shows events in per source, queue depth and age, dead-letter queues, load latency, freshness per table,
 * model runs, sync results, anomalies and errors.
 */
export class SluiceMonitoring extends Construct {
  /** The monitor function. */
  readonly monitor: SluiceFunction;
  /** Failed asynchronous invocations of the monitor function. */
  readonly deadLetterQueue: sqs.Queue;
  /** The alert topic every alarm notifies. */
  readonly topic: sns.Topic;
  /** The key of the alert topic. */
  readonly topicKey: kms.Key;
  /** The action that notifies {@link topic}; add it to alarms created elsewhere. */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** One alarm per freshness SLA, by table. */
  readonly freshnessAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** One alarm per function, by name. */
  readonly errorAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** One alarm per dead-letter queue, by name. */
  readonly deadLetterAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Fires when a Sluice Redshift statement fails or is aborted. */
  readonly statementFailureAlarm: cloudwatch.Alarm;
  /** The rule that counts failed or aborted Sluice statements (its `MatchedEvents` metric feeds the alarm). */
  readonly statementFailureRule: events.Rule;
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: SluiceMonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Sluice alert topic',
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to an encrypted topic only if the key lets the service use it.
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Alerts', {
      displayName: 'Sluice alerts',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    this.alarmAction = new actions.SnsAction(this.topic);

    this.deadLetterQueue = failedInvocationsQueue(this, 'DeadLetterQueue', props.key);
    this.monitor = new SluiceFunction(this, 'Monitor', {
      handler: 'monitor',
      description: 'Sluice monitor: freshness, volumes, anomalies and failure alerts to Slack and SNS',
      serviceName: 'sluice-monitor',
      timeout: Duration.minutes(5),
      memorySize: MONITOR_MEMORY_MB,
      // Runs never overlap: each one updates the incidents in ops.alerts.
      reservedConcurrentExecutions: 1,
      deadLetterQueue: { queue: this.deadLetterQueue, key: props.key },
      bundledFolders: [props.modelsDir ?? join(PROJECT_ROOT, 'models')],
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      environment: {
        SLUICE_CONFIG_JSON: props.configJson,
        EVENT_BUS_NAME: props.bus.eventBusName,
        SECRETS_PREFIX: props.secrets.prefix,
        SLUICE_ALERT_TOPIC_ARN: this.topic.topicArn,
        QUEUE_URL: props.queue.queueUrl,
        DLQ_URL: props.ingestDeadLetterQueue.queueUrl,
        ...props.warehouse.environment,
      },
    });
    this.monitor.function.configureAsyncInvoke({ maxEventAge: Duration.hours(1), retryAttempts: 1 });
    this.grantMonitor(props);

    const schedules = new LambdaSchedules(this, 'Schedules', {
      function: this.monitor.function,
      purpose: 'the monitor function',
    });
    schedules.add('Run', {
      expression: props.schedule,
      description: 'Sluice: monitor run (monitors.schedule)',
      input: { 'detail-type': 'Scheduled Monitor', source: 'sluice.scheduler', detail: {} },
    });
    schedules.add('Digest', {
      expression: props.digestSchedule,
      description: 'Sluice: daily digest of incidents by owner (alerts.digest.schedule)',
      input: {
        'detail-type': MONITOR_SCHEDULE_DETAIL_TYPE,
        source: 'sluice.scheduler',
        detail: { action: 'digest' },
      },
    });
    new events.Rule(this, 'OnStepFailed', {
      eventBus: props.bus,
      description: 'Sluice: alert on any failed step',
      eventPattern: { source: [SLUICE_EVENT_SOURCE], detailType: ['sluice.step.failed'] },
      targets: [
        new targets.LambdaFunction(this.monitor.function, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });

    this.freshnessAlarms = this.createFreshnessAlarms(props);
    const functions = [...props.functions, { name: 'monitor', function: this.monitor.function }];
    const queues = [...props.deadLetterQueues, { name: 'monitor', queue: this.deadLetterQueue }];
    this.errorAlarms = Object.fromEntries(
      functions.map(({ name, function: fn }) => [
        name,
        this.alarm(`Errors${slug(name)}`, {
          alarmDescription: `Sluice: the ${name} function failed; see its log group and dead-letter queue`,
          metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      ]),
    );
    this.deadLetterAlarms = Object.fromEntries(
      queues.map(({ name, queue }) => [
        name,
        this.alarm(`DeadLetters${slug(name)}`, {
          alarmDescription: `Sluice: messages reached the ${name} dead-letter queue; inspect, fix and replay them`,
          metric: queue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      ]),
    );

    this.statementFailureRule = new events.Rule(this, 'StatementFailed', {
      description: 'Sluice: counts failed or aborted Redshift statements started by Sluice',
      eventPattern: {
        source: ['aws.redshift-data'],
        detailType: [DATA_API_STATUS_CHANGE],
        detail: {
          state: ['FAILED', 'ABORTED'],
          statementName: events.Match.prefix(props.statementNamePrefix ?? stack.stackName),
        },
      },
    });
    this.statementFailureAlarm = this.alarm('StatementFailures', {
      alarmDescription: 'Sluice: a Redshift statement started by Sluice failed or was aborted (Data API)',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'MatchedEvents',
        dimensionsMap: { RuleName: this.statementFailureRule.ruleName },
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.dashboard = this.createDashboard(props, functions, queues);
  }

  /** Creates an alarm that notifies the alert topic. */
  private alarm(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
    return alarm;
  }

  /** The freshness metric of one table (labelled for graphs; alarms take it unlabelled, in the plain form). */
  private freshnessMetric(table: string, period: Duration, labelled = false): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: FRESHNESS_METRIC,
      dimensionsMap: { service: 'sluice-monitor', table },
      period,
      statistic: cloudwatch.Stats.MAXIMUM,
      ...(labelled ? { label: table } : {}),
    });
  }

  /**
   * One alarm per SLA at its `errorAfterMinutes` (warnings go to Slack from the monitor itself). Missing data is
   * breaching: if the monitor stops publishing, every freshness alarm fires.
   */
  private createFreshnessAlarms(props: SluiceMonitoringProps): Record<string, cloudwatch.Alarm> {
    const period = schedulePeriod(props.schedule);
    return Object.fromEntries(
      props.freshness.map((sla) => [
        sla.table,
        this.alarm(`Freshness${slug(sla.table)}`, {
          alarmDescription: `Sluice: ${sla.table} has had no new data for more than ${sla.errorAfterMinutes} minutes (or the monitor stopped reporting)`,
          metric: this.freshnessMetric(sla.table, period),
          threshold: sla.errorAfterMinutes,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      ]),
    );
  }

  /** Data API, bus, the Slack secret and the alert topic. */
  private grantMonitor(props: SluiceMonitoringProps): void {
    const role = this.monitor.role;
    const stack = Stack.of(this);
    props.warehouse.grantDataApi(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishAlertEvents',
        actions: ['events:PutEvents'],
        resources: [props.bus.eventBusArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishAlerts',
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptAlerts',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.topicKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${stack.region}.amazonaws.com` } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadQueueDepth',
        actions: ['sqs:GetQueueAttributes'],
        resources: [props.queue.queueArn, props.ingestDeadLetterQueue.queueArn],
      }),
    );
    props.secrets.secret(
      SLACK_WEBHOOK_SECRET,
      'Slack incoming-webhook URL for alerts',
      'A Slack incoming-webhook URL is issued by Slack and can only be replaced there (a new webhook), not rotated by Secrets Manager.',
    );
    props.secrets.grantRead(role, [SLACK_WEBHOOK_SECRET], 'The monitor reads the Slack webhook URL only.');
  }

  private createDashboard(
    props: SluiceMonitoringProps,
    functions: readonly WatchedFunction[],
    queues: readonly WatchedQueue[],
  ): cloudwatch.Dashboard {
    const fiveMinutes = Duration.minutes(5);
    const sluiceMetric = (
      metricName: string,
      dimensionsMap: Record<string, string>,
      statistic: string,
      label: string,
    ) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap,
        statistic,
        period: fiveMinutes,
        label,
      });
    const search = (metric: string, filter: string, statistic: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SUM(SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${metric}" ${filter}', '${statistic}', 300))`,
        usingMetrics: {},
        label,
        period: fiveMinutes,
      });
    const graph = (title: string, left: cloudwatch.IMetric[], width = 12) =>
      new cloudwatch.GraphWidget({ title, left, width, height: 6 });

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      defaultInterval: Duration.hours(24),
    });
    const freshnessPeriod = schedulePeriod(props.schedule);
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# Sluice ${Stack.of(this).stackName}\nIngest → land → load → transform → sync, and the monitor's view of them. Alerts go to the SNS topic and Slack.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      graph(
        'Events in per source (accepted by ingest and pulled)',
        props.sources.flatMap((source) => [
          search('ingest.accepted', `source="${source}"`, 'Sum', `${source} (webhooks/SDKs)`),
          search('pull.records', `source="${source}"`, 'Sum', `${source} (pulled)`),
        ]),
      ),
      new cloudwatch.GraphWidget({
        title: 'Ingest queue: depth and age of the oldest message',
        left: [
          props.queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, label: 'messages' }),
        ],
        right: [
          props.queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, label: 'oldest (s)' }),
        ],
        width: 12,
        height: 6,
      }),
    );
    dashboard.addWidgets(
      graph(
        'Dead-letter queues (messages)',
        queues.map(({ name, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: fiveMinutes,
            statistic: cloudwatch.Stats.MAXIMUM,
            label: name,
          }),
        ),
      ),
      graph('Load latency per table (ms)', [search('load.duration', '', 'Maximum', 'load duration, max')]),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Freshness per table (minutes since newest row)',
        left: props.freshness.map((sla) => this.freshnessMetric(sla.table, freshnessPeriod, true)),
        leftAnnotations: props.freshness.map((sla) => ({
          value: sla.errorAfterMinutes,
          label: `${sla.table} error`,
          color: cloudwatch.Color.RED,
        })),
        width: 12,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Model runs: duration and failed models',
        left: [
          sluiceMetric('transform.duration', { service: 'sluice-transform' }, 'Maximum', 'run duration (ms)'),
        ],
        right: [
          sluiceMetric(
            'transform.models',
            { service: 'sluice-transform', status: 'error' },
            'Sum',
            'failed models',
          ),
          sluiceMetric(
            'transform.tests',
            { service: 'sluice-transform', status: 'failed' },
            'Sum',
            'failed tests',
          ),
        ],
        width: 12,
        height: 6,
      }),
    );
    dashboard.addWidgets(
      graph(
        'Sync results (records sent and failed)',
        props.syncs.flatMap((sync) => [
          sluiceMetric('sync.records_sent', { service: 'sluice-sync', sync }, 'Sum', `${sync} sent`),
          sluiceMetric('sync.records_failed', { service: 'sluice-sync', sync }, 'Sum', `${sync} failed`),
        ]),
      ),
      graph('Anomalies detected', [search('monitor.anomalies', '', 'Sum', 'anomalies')]),
    );
    dashboard.addWidgets(
      graph(
        'Function errors',
        functions.map(({ name, function: fn }) =>
          fn.metricErrors({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM, label: name }),
        ),
      ),
      graph('Failed or aborted Redshift statements', [this.statementFailureAlarm.metric]),
    );
    return dashboard;
  }
}
