/**
 * The sync Lambda (reverse ETL). Triggers:
 * - an EventBridge rule on `sluice.transform.completed`: runs the unscheduled syncs whose model the run
 *   rebuilt (`detail.changed`);
 * - an EventBridge Scheduler schedule per distinct `syncs[].schedule`, whose target input is
 *   `{ "detail-type": "sluice.sync.scheduled", "detail": { "schedule": "<expression>" } }` (every sync on that
 *   schedule runs) or `{ …, "detail": { "sync": "<name>" } }` (that sync runs).
 *
 * Environment variables it reads:
 * - `SLUICE_CONFIG_JSON` — the config (its `syncs`), as for the other functions;
 * - `EVENT_BUS_NAME` — the bus of `sluice.sync.completed`, `sluice.step.failed` and `sluice.monitor.alert`;
 * - `LANDING_BUCKET` — the landing bucket, whose `budgets/` prefix holds the vendor API budgets the syncs share
 *   with the pull connectors (grant `s3:GetObject`/`s3:PutObject` on `budgets/*` and `s3:ListBucket` on it);
 * - `SECRETS_PREFIX` — Secrets Manager name prefix, `<name>/<stage>/` (default `sluice/`); destination
 *   credentials are read from `<prefix>SLUICE_SALESFORCE_LOGIN_URL`, `…_CLIENT_ID`, `…_CLIENT_SECRET`,
 *   `<prefix>SLUICE_ZENDESK_BASE_URL`, `…_EMAIL`, `…_API_TOKEN`, `<prefix>SLUICE_HUBSPOT_TOKEN` (and optional
 *   `…_BASE_URL`), `<prefix>SLUICE_GAINSIGHT_BASE_URL`, `…_ACCESS_KEY`, `<prefix>SLUICE_SYNC_WEBHOOK_URL`,
 *   `…_SECRET` (grant `secretsmanager:GetSecretValue` on `<prefix>*`); a sync whose destination has no
 *   secrets is skipped with one log line;
 * - `REDSHIFT_DATABASE`, and `REDSHIFT_WORKGROUP` (Serverless) or `REDSHIFT_CLUSTER_ID` + `REDSHIFT_DB_USER`,
 *   and `REDSHIFT_COPY_ROLE_ARN` (required by the shared Redshift port; the sync runs no COPY);
 * - `POWERTOOLS_SERVICE_NAME` (optional, default `sluice-sync`).
 *
 * It needs outbound HTTPS to the vendors' APIs, and a timeout long enough for its largest sync (a Bulk API 2.0
 * job is polled until it completes); a run cut off mid-way loses nothing, since each confirmed batch is saved.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { PowertoolsLoggerAdapter } from '../adapters/aws/powertools-logger.js';
import type { ResolvedConfig } from '../core/config/config-types.js';
import { SluiceError } from '../core/errors.js';
import type { Http, ObjectStore, Secrets } from '../core/ports.js';
import { budgetedDestinationHttp, destinationBudgetSettings } from '../core/sync/destination-budget.js';
import type { SyncPorts } from '../core/sync/run-sync.js';
import { runTriggeredSyncs, syncsForTrigger, type TriggeredSync } from '../core/sync/run-triggered-syncs.js';
import { createDestination, missingSecrets } from '../destinations/create-destination.js';
import {
  configFromEnv,
  eventBus,
  managerSecrets,
  observability,
  redshiftWarehouse,
  s3Objects,
  systemClock,
} from './aws-ports.js';
import { flushMetrics } from './flush-metrics.js';

/**
 * What the sync handler runs on: the ports (with the object store the vendor budgets live in), the
 * destinations' secrets and HTTP client, and the config.
 */
export interface SyncHandlerDeps {
  readonly ports: SyncPorts & { readonly log: PowertoolsLoggerAdapter; readonly objects: ObjectStore };
  readonly secrets: Secrets;
  readonly http: Http;
  readonly config: ResolvedConfig;
}

/**
 * Builds the handler on the given dependencies (the AWS ones in {@link handler}; tests pass a local
 * warehouse). It answers what each chosen sync did, and fails the invocation when any sync failed, so that
 * the function's error metric and alarm see it (a retry is safe: the diff re-sends only unconfirmed records).
 */
export function syncHandler(deps: SyncHandlerDeps) {
  return middy<EventBridgeEvent<string, unknown>, TriggeredSync[]>()
    .use(injectLambdaContext(deps.ports.log.powertools))
    .use(flushMetrics(deps.ports.metrics))
    .handler(async (event) => {
      const syncs = syncsForTrigger(deps.config.syncs, {
        detailType: event['detail-type'],
        detail: event.detail,
      });
      if (syncs.length === 0) {
        deps.ports.log.info('no sync to run', { trigger: event['detail-type'] });
        return [];
      }
      deps.ports.log.info('syncs triggered', {
        trigger: event['detail-type'],
        syncs: syncs.map((s) => s.name),
      });
      const budget = destinationBudgetSettings(deps.config);
      const outcomes = await runTriggeredSyncs(deps.ports, syncs, async (sync) => {
        const missing = await missingSecrets(sync.destination, deps.secrets);
        if (missing.length > 0) return { missing };
        return createDestination(sync.destination, {
          secrets: deps.secrets,
          // One vendor quota for pulls and syncs: the same budget objects the pull function keeps.
          http: budgetedDestinationHttp(sync.destination, deps.http, deps.ports, budget),
          clock: deps.ports.clock,
        });
      });
      const failed = outcomes.filter((o) => o.status === 'failed');
      if (failed.length > 0)
        throw new SluiceError(
          'sync_failed',
          `${failed.length} sync(s) failed: ${failed.map((o) => `${o.sync} (${o.error})`).join('; ')}`,
        );
      return outcomes;
    });
}

const { log, metrics } = observability('sync');

/** The deployed sync Lambda (export `handler`), on Redshift, EventBridge, S3 and Secrets Manager. */
export const handler = syncHandler({
  ports: {
    warehouse: redshiftWarehouse(),
    bus: eventBus(),
    objects: s3Objects(),
    clock: systemClock,
    metrics,
    log,
  },
  secrets: managerSecrets(),
  http: fetch,
  config: configFromEnv(),
});
