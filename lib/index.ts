/**
 * The Sluice infrastructure library: the constructs and the stack behind `cdk deploy`, exported so that a team
 * can compose them into its own CDK app (another VPC, an extra alarm action, a split into several stacks)
 * instead of forking `bin/sluice.ts`.
 */
export { acknowledge, acknowledgeWildcardResources } from './constructs/acknowledge.js';
export {
  ESM_REQUIRE_BANNER,
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
export { LAND_BATCH_SIZE, SluicePipeline, type SluicePipelineProps } from './constructs/sluice-pipeline.js';
export {
  DEFAULT_BASE_CAPACITY,
  DEFAULT_DATABASE,
  SluiceWarehouse,
  type SluiceWarehouseProps,
} from './constructs/sluice-warehouse.js';
export { addSluice, type SluiceAppOptions } from './sluice-app.js';
export { SluiceStack, type SluiceStackProps } from './stacks/sluice-stack.js';
