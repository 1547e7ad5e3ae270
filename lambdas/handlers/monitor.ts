/**
 * The monitor Lambda. Triggers:
 * - an EventBridge Scheduler schedule on `monitors.schedule` (default `rate(5 minutes)`), any input: runs every
 *   monitor (freshness, volumes, column rates, metrics, failures);
 * - a Scheduler schedule on `alerts.digest.schedule` (default `cron(0 8 * * ? *)`) whose target input is
 *   `{ "detail-type": "sluice.monitor.scheduled", "detail": { "action": "digest" } }`: sends the daily digest;
 * - an EventBridge rule on `sluice.step.failed` (source `sluice`): announces the failure at once.
 * Give it reserved concurrency 1, so that two invocations never open the same incident twice.
 *
 * Environment variables it reads:
 * - `SLUICE_CONFIG_JSON` — the config (its `monitors`, `alerts`, `owners`, `syncs`);
 * - `EVENT_BUS_NAME` — the bus of `sluice.monitor.alert`;
 * - `SECRETS_PREFIX` — Secrets Manager name prefix (default `sluice/`); the Slack incoming webhook URL is read
 *   from `<prefix>SLUICE_SLACK_WEBHOOK_URL` (grant `secretsmanager:GetSecretValue` on it; unset: Slack is off);
 * - `SLUICE_ALERT_TOPIC_ARN` (optional) — SNS topic alerts are also published to (grant `sns:Publish`);
 * - `QUEUE_URL` and `DLQ_URL` (optional) — for the dead-letter check (grant `sqs:GetQueueAttributes`);
 * - `REDSHIFT_DATABASE`, and `REDSHIFT_WORKGROUP` or `REDSHIFT_CLUSTER_ID` + `REDSHIFT_DB_USER`, and
 *   `REDSHIFT_COPY_ROLE_ARN` (required by the shared Redshift port);
 * - `SLUICE_MODELS_DIR` (optional; default `models/` in the package) — `.yml` source freshness rules;
 * - `POWERTOOLS_SERVICE_NAME` (optional, default `sluice-monitor`).
 *
 * It publishes, in the CloudWatch namespace `Sluice` with dimension `service` (`sluice-monitor`):
 * `FreshnessMinutes` (plus dimension `table`, one point per table per run; absent when the table is empty, so
 * alarms should treat missing data as breaching), `monitor.anomalies` and `monitor.open_incidents` (Count, per
 * run) and `monitor.alerts_sent` (Count, plus dimension `channel`: `slack` or `sns`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { PowertoolsLoggerAdapter } from '../adapters/aws/powertools-logger.js';
import { SnsAlertChannel } from '../adapters/aws/sns-alert-channel.js';
import { FsModelSource } from '../adapters/local/fs-model-source.js';
import type { ResolvedConfig } from '../core/config/config-types.js';
import type { AlertChannel } from '../core/monitor/alert-channel.js';
import type { IncidentChange } from '../core/monitor/process-incidents.js';
import {
  handleStepFailed,
  runMonitors,
  sendDigest,
  type MonitorPorts,
  type MonitorRunResult,
} from '../core/monitor/run-monitors.js';
import { SlackAlertChannel } from '../core/monitor/slack-alert-channel.js';
import type { Clock, Http, Secrets } from '../core/ports.js';
import { readSourceFreshness, type SourceFreshnessRule } from '../core/transform/source-freshness.js';
import {
  configFromEnv,
  eventBus,
  managerSecrets,
  observability,
  redshiftWarehouse,
  sqsQueue,
  systemClock,
} from './aws-ports.js';
import { flushMetrics } from './flush-metrics.js';

/** What the monitor handler runs on. */
export interface MonitorHandlerDeps {
  readonly ports: Omit<MonitorPorts, 'channels'> & { readonly log: PowertoolsLoggerAdapter };
  readonly secrets: Secrets;
  readonly http: Http;
  readonly clock: Clock;
  readonly config: ResolvedConfig;
  /** Extra channels next to Slack (the SNS topic in AWS). */
  readonly channels?: readonly AlertChannel[];
  /** Freshness rules from the bundled models project. */
  readonly freshnessRules?: () => Promise<readonly SourceFreshnessRule[]>;
}

/** What one invocation did. */
export type MonitorInvocation =
  | { readonly action: 'run'; readonly run: MonitorRunResult }
  | { readonly action: 'step_failed'; readonly incidents: readonly IncidentChange[] }
  | { readonly action: 'digest'; readonly delivered: boolean };

/** Builds the handler on the given dependencies (the AWS ones in {@link handler}; tests pass a local warehouse). */
export function monitorHandler(deps: MonitorHandlerDeps) {
  const ports: MonitorPorts = {
    ...deps.ports,
    channels: [
      new SlackAlertChannel({
        http: deps.http,
        secrets: deps.secrets,
        clock: deps.clock,
        log: deps.ports.log,
        ...(deps.config.alerts.slack?.channel ? { channel: deps.config.alerts.slack.channel } : {}),
      }),
      ...(deps.channels ?? []),
    ],
  };
  return middy<EventBridgeEvent<string, unknown>, MonitorInvocation>()
    .use(injectLambdaContext(deps.ports.log.powertools))
    .use(flushMetrics(deps.ports.metrics))
    .handler(async (event) => {
      const now = deps.clock.now();
      const detail = (event.detail ?? {}) as Record<string, unknown>;
      if (event['detail-type'] === 'sluice.step.failed') {
        return { action: 'step_failed', incidents: await handleStepFailed(deps.config, ports, detail, now) };
      }
      if (detail['action'] === 'digest') {
        return { action: 'digest', delivered: await sendDigest(deps.config, ports, now) };
      }
      const rules = deps.freshnessRules ? await deps.freshnessRules() : [];
      return { action: 'run', run: await runMonitors(deps.config, ports, now, { freshnessRules: rules }) };
    });
}

const { log, metrics } = observability('monitor');
const topicArn = process.env['SLUICE_ALERT_TOPIC_ARN'];
const modelsDir =
  process.env['SLUICE_MODELS_DIR'] ?? join(process.env['LAMBDA_TASK_ROOT'] ?? process.cwd(), 'models');

/** The deployed monitor Lambda (export `handler`), on Redshift, EventBridge, Secrets Manager, SQS and SNS. */
export const handler = monitorHandler({
  ports: {
    warehouse: redshiftWarehouse(),
    bus: eventBus(),
    metrics,
    log,
    queue: process.env['QUEUE_URL'] ? sqsQueue() : undefined,
  },
  secrets: managerSecrets(),
  http: fetch,
  clock: systemClock,
  config: configFromEnv(),
  channels: topicArn ? [new SnsAlertChannel({ client: new SNSClient({}), topicArn })] : [],
  freshnessRules: async () =>
    existsSync(modelsDir) ? readSourceFreshness(new FsModelSource(modelsDir, 'models')) : [],
});
