import { defineConfig } from './lambdas/core/config/define-config.js';

/**
 * Example configuration: the sources, schedules and warehouse of a typical SaaS operations team.
 * The local pipeline (`npm start`) and the AWS deployment (`npx cdk deploy`) both read this file.
 */
export default defineConfig({
  name: 'sluice',
  sources: {
    segment: { kind: 'segment', description: 'Product events from the Segment / RudderStack SDKs' },
    // `pull` also deploys the source's pull connector in AWS (one schedule per stream); it runs once its API
    // credentials are stored (docs/deploy.md). Locally, connectors run whenever their credentials are set.
    stripe: { kind: 'stripe', description: 'Billing webhooks', pull: { schedule: 'rate(15 minutes)' } },
    zendesk: {
      kind: 'zendesk',
      description: 'Support ticket webhooks',
      pull: { schedule: 'rate(30 minutes)' },
    },
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
  // Starter reverse-ETL syncs, run after each model run that rebuilds marts.customer_health. A sync whose
  // destination has no credentials (README, "Reverse ETL") is skipped with one log line.
  syncs: [
    {
      name: 'customer_health_to_salesforce',
      model: 'marts.customer_health',
      destination: 'salesforce',
      object: 'Account',
      matchKey: { destinationField: 'Sluice_Account_Id__c', modelColumn: 'account_id' },
      fields: {
        Name: 'account_name',
        Health_Score__c: 'health_score',
        MRR__c: { column: 'mrr', transform: 'round', digits: 2 },
        Days_Until_Renewal__c: 'days_until_renewal',
        Usage_Trend__c: { column: 'usage_trend', transform: 'number' },
        Active_Users_30d__c: { column: 'active_users_30d', default: 0 },
        Open_Tickets__c: { column: 'open_tickets', default: 0 },
        Last_Seen_Date__c: { column: 'last_seen_at', transform: 'date' },
      },
      maxChangeRatio: 0.2,
    },
    {
      name: 'customer_health_to_zendesk',
      model: 'marts.customer_health',
      destination: 'zendesk',
      object: 'organizations',
      matchKey: { destinationField: 'external_id', modelColumn: 'account_id' },
      fields: {
        name: 'account_name',
        'organization_fields.health_score': 'health_score',
        'organization_fields.mrr': { column: 'mrr', transform: 'round' },
        'organization_fields.days_until_renewal': 'days_until_renewal',
        'organization_fields.usage_trend': { column: 'usage_trend', transform: 'number' },
        'organization_fields.open_tickets': { column: 'open_tickets', default: 0 },
      },
      maxChangeRatio: 0.2,
    },
  ],
  monitors: {
    freshness: [
      { table: 'raw.segment', column: 'received_at', warnAfterMinutes: 30, errorAfterMinutes: 120 },
      { table: 'raw.stripe', column: 'received_at', warnAfterMinutes: 60, errorAfterMinutes: 240 },
      { table: 'raw.app_events', column: 'received_at', warnAfterMinutes: 30, errorAfterMinutes: 120 },
    ],
    volume: [
      { table: 'raw.segment', by: 'event_type', granularity: 'hour', absoluteFloor: 20 },
      { table: 'raw.stripe', granularity: 'day', direction: 'drop' },
    ],
    columns: [{ table: 'staging.stg_segment__tracks', columns: ['user_id', 'group_id'], granularity: 'day' }],
    metrics: [
      {
        name: 'mrr',
        sql: 'SELECT SUM(mrr) AS value FROM marts.customer_health',
        table: 'marts.customer_health',
        direction: 'drop',
        percentFloor: 0.05,
      },
      {
        name: 'tickets_per_day',
        sql: "SELECT DATE_TRUNC('day', occurred_at) AS bucket, COUNT(*) AS value FROM raw.zendesk WHERE event_type = 'ticket.created' GROUP BY 1",
        table: 'raw.zendesk',
      },
    ],
  },
  alerts: {
    slack: { channel: '#data-alerts' },
    cooldownMinutes: 240,
    digest: { schedule: 'cron(0 8 * * ? *)' },
  },
  owners: { stripe: '@revops', segment: '@product-analytics', zendesk: '@support-ops', marts: '@data-team' },
});
