import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import example from '../../../sluice.config.js';
import { configErrorOf } from '../../support/config-error.js';

describe('the monitoring config', () => {
  it('runs monitors every 5 minutes, re-announces after 4 hours and sends the digest at 08:00 UTC by default', () => {
    const config = resolveConfig({});
    expect(config.monitors).toEqual({
      freshness: [],
      volume: [],
      columns: [],
      metrics: [],
      schedule: 'rate(5 minutes)',
    });
    expect(config.alerts).toEqual({
      cooldownMinutes: 240,
      digest: { schedule: 'cron(0 8 * * ? *)' },
      syncRejectionRatio: 0.05,
    });
    expect(config.owners).toEqual({});
  });

  it('accepts the example config’s monitors, alerts and owners', () => {
    const config = resolveConfig(example);
    expect(config.monitors.volume.length).toBeGreaterThan(0);
    expect(config.alerts.slack?.channel).toMatch(/^#/);
  });

  it('names the path of a volume monitor with an unknown granularity', () => {
    const error = configErrorOf({ monitors: { volume: [{ table: 'raw.segment', granularity: 'week' }] } });
    expect(error.message).toBe('config/monitors/volume/0/granularity: must be one of "hour", "day"');
  });

  it('refuses two metrics of the same name', () => {
    const metric = { name: 'mrr', sql: 'SELECT 1 AS value' };
    expect(configErrorOf({ monitors: { metrics: [metric, metric] } }).path).toBe('/monitors/metrics/1/name');
  });

  it('refuses a metric whose SQL is not a query', () => {
    const error = configErrorOf({
      monitors: { metrics: [{ name: 'mrr', sql: 'DELETE FROM marts.fct_mrr' }] },
    });
    expect(error.message).toBe('config/monitors/metrics/0/sql: must be a query (SELECT … or WITH …)');
  });

  it('refuses a column monitor without columns', () => {
    expect(configErrorOf({ monitors: { columns: [{ table: 'raw.segment', columns: [] }] } }).path).toBe(
      '/monitors/columns/0/columns',
    );
  });

  it('refuses an unknown alert setting', () => {
    expect(configErrorOf({ alerts: { slack: { webhook: 'https://hooks.slack.com/x' } } }).path).toBe(
      '/alerts/slack/webhook',
    );
  });

  it('drops a trailing slash from the dashboard URL so that links have one', () => {
    expect(
      resolveConfig({ alerts: { dashboardUrl: 'https://sluice.example.com/' } }).alerts.dashboardUrl,
    ).toBe('https://sluice.example.com');
  });
});
