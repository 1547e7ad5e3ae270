import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { configErrorOf } from '../../support/config-error.js';

describe('the config', () => {
  it('fills every default for an empty config', () => {
    const config = resolveConfig({});
    expect(config.landing).toEqual({
      maxFileBytes: 64 * 1024 * 1024,
      maxEventsPerFile: 100_000,
      flushIntervalSeconds: 10,
    });
    expect(config.load.schedule).toBe('rate(5 minutes)');
    expect(config.warehouse.redshift).toEqual({ mode: 'serverless' });
  });

  it('names the path of an unknown setting', () => {
    expect(configErrorOf({ landing: { maxFileSize: 1 } }).path).toBe('/landing/maxFileSize');
  });

  it('names the path of a bad source name', () => {
    expect(configErrorOf({ sources: { 'My-Source': { kind: 'webhook' } } }).path).toBe('/sources/My-Source');
  });

  it('names the path of a bad source kind and lists the allowed kinds', () => {
    const error = configErrorOf({ sources: { crm: { kind: 'ftp' } } });
    expect(error.path).toBe('/sources/crm/kind');
    expect(error.message).toContain('"webhook"');
  });

  it('names the missing field of an existing Redshift cluster', () => {
    expect(
      configErrorOf({
        warehouse: { redshift: { mode: 'existing-cluster', clusterIdentifier: 'c', database: 'd' } },
      }).path,
    ).toBe('/warehouse/redshift/dbUser');
  });

  it('refuses a vendor source named other than its kind, since its route and table are fixed', () => {
    expect(configErrorOf({ sources: { billing: { kind: 'stripe' } } }).path).toBe('/sources/billing');
  });

  it('refuses a schedule that EventBridge would not accept', () => {
    expect(configErrorOf({ load: { schedule: 'every 5 minutes' } }).path).toBe('/load/schedule');
  });

  it('refuses two syncs with the same name', () => {
    const sync = {
      name: 'sf',
      model: 'marts.customer_health',
      destination: 'salesforce',
      object: 'Account',
      matchKey: { destinationField: 'Id', modelColumn: 'account_id' },
      fields: { Health__c: 'health_score' },
    };
    expect(configErrorOf({ syncs: [sync, sync] }).path).toBe('/syncs/1/name');
  });

  it('refuses a freshness SLA whose error threshold comes before its warning', () => {
    expect(
      configErrorOf({
        monitors: { freshness: [{ table: 'raw.x', warnAfterMinutes: 60, errorAfterMinutes: 30 }] },
      }).path,
    ).toBe('/monitors/freshness/0/errorAfterMinutes');
  });
});
