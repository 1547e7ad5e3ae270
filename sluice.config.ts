import { defineConfig } from './lambdas/core/config/define-config.js';

/**
 * Example configuration: the sources, schedules and warehouse of a typical SaaS operations team.
 * The local pipeline (`npm start`) and the AWS deployment (`npx cdk deploy`) both read this file.
 */
export default defineConfig({
  name: 'sluice',
  sources: {
    app_events: {
      kind: 'webhook',
      description: 'Signed events from our own application (X-Sluice-Signature)',
      idPointer: '/id',
      typePointer: '/type',
      timePointer: '/occurred_at',
    },
  },
  landing: { maxFileBytes: 64 * 1024 * 1024, maxEventsPerFile: 100_000, flushIntervalSeconds: 5 },
  load: { schedule: 'rate(5 minutes)' },
  warehouse: { redshift: { mode: 'serverless', baseCapacity: 8, database: 'sluice' } },
  models: { path: 'models' },
  monitors: {
    freshness: [
      { table: 'raw.app_events', column: 'received_at', warnAfterMinutes: 30, errorAfterMinutes: 120 },
    ],
  },
});
