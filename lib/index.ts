/**
 * The Sluice infrastructure library: the constructs and the stack behind `cdk deploy`, exported so that a team
 * can compose them into its own CDK app (another VPC, an extra alarm action, a split into several stacks)
 * instead of forking `bin/sluice.ts`.
 */
export { acknowledge, acknowledgeWildcardResources } from './constructs/acknowledge.js';
export {
  FAILED_INVOCATION_RETENTION,
  failedInvocationsQueue,
} from './constructs/failed-invocations-queue.js';
export {
  LambdaSchedules,
  type LambdaScheduleOptions,
  type LambdaSchedulesProps,
} from './constructs/lambda-schedules.js';
export {
  ESM_REQUIRE_BANNER,
  type FunctionDeadLetterQueue,
  MAX_CONFIG_JSON_BYTES,
  PROJECT_ROOT,
  SluiceFunction,
  type SluiceFunctionProps,
} from './constructs/sluice-function.js';
export {
  DEFAULT_LAND_TIMEOUT,
  LAND_BATCHING_WINDOW,
  SEGMENT_ROUTES,
  SluiceIngest,
  type SluiceIngestProps,
  WEBHOOK_ROUTES,
} from './constructs/sluice-ingest.js';
export { LANDING_KEY_PREFIXES, SluiceLanding, type SluiceLandingProps } from './constructs/sluice-landing.js';
export { folderHash, SluiceMigration, type SluiceMigrationProps } from './constructs/sluice-migration.js';
export {
  FRESHNESS_METRIC,
  METRICS_NAMESPACE,
  MONITOR_MEMORY_MB,
  MONITOR_SCHEDULE_DETAIL_TYPE,
  SLACK_WEBHOOK_SECRET,
  schedulePeriod,
  SluiceMonitoring,
  type SluiceMonitoringProps,
  type WatchedFunction,
  type WatchedQueue,
} from './constructs/sluice-monitoring.js';
export {
  DATA_API_STATUS_CHANGE,
  LAND_BATCH_SIZE,
  LOAD_STATE_PREFIX,
  SluicePipeline,
  type SluicePipelineProps,
} from './constructs/sluice-pipeline.js';
export {
  PULL_MEMORY_MB,
  PULL_STATE_PREFIXES,
  type PulledSource,
  pullScheduleId,
  SluicePull,
  type SluicePullProps,
} from './constructs/sluice-pull.js';
export { SluiceSecrets, type SluiceSecretsProps } from './constructs/sluice-secrets.js';
export {
  OPTIONAL_DESTINATION_SECRETS,
  SluiceSync,
  type SluiceSyncProps,
  SYNC_MEMORY_MB,
  syncScheduleId,
} from './constructs/sluice-sync.js';
export {
  SLUICE_EVENT_SOURCE,
  SluiceTransform,
  type SluiceTransformProps,
  TRANSFORM_MEMORY_MB,
} from './constructs/sluice-transform.js';
export {
  DEFAULT_BASE_CAPACITY,
  DEFAULT_DATABASE,
  SluiceWarehouse,
  type SluiceWarehouseProps,
} from './constructs/sluice-warehouse.js';
export { configJson, PULL_ONLY_KINDS, pulledSources } from './deployment-plan.js';
export { ddlHash, migrationDdl } from './migration-ddl.js';
export { addSluice, type SluiceAppOptions } from './sluice-app.js';
export { SluiceStack, type SluiceStackProps } from './stacks/sluice-stack.js';
