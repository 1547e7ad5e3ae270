import { defineConfig } from './lambdas/core/config/define-config.js';

/**
 * Example configuration: the sources, schedules and warehouse of a typical SaaS operations team.
 * The local pipeline (`npm start`) and the AWS deployment (`npx cdk deploy`) both read this file.
 */
export default defineConfig({
  name: 'sluice',
  sources: {
    segment: { kind: 'segment', description: 'Product events from the Segment / RudderStack SDKs' },
    stripe: { kind: 'stripe', description: 'Billing webhooks' },
    zendesk: { kind: 'zendesk', description: 'Support ticket webhooks' },
    salesforce: { kind: 'salesforce', description: 'Account and opportunity outbound messages' },
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
      { table: 'raw.segment', column: 'received_at', warnAfterMinutes: 30, errorAfterMinutes: 120 },
      { table: 'raw.stripe', column: 'received_at', warnAfterMinutes: 60, errorAfterMinutes: 240 },
      { table: 'raw.app_events', column: 'received_at', warnAfterMinutes: 30, errorAfterMinutes: 120 },
    ],
  },
});
