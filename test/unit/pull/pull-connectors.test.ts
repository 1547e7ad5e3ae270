import { describe, expect, it } from 'vitest';
import {
  configuredPullSources,
  pullApiBase,
  pullConnectorFor,
} from '../../../lambdas/core/pull/pull-connectors.js';
import { MapSecrets } from '../../support/memory-ports.js';

describe('the pull connector registry', () => {
  it('schedules only the sources whose credentials are all set', async () => {
    const secrets = new MapSecrets({
      SLUICE_STRIPE_API_KEY: 'sk_test_1',
      SLUICE_ZENDESK_EMAIL: 'ops@example.com',
    });
    expect(await configuredPullSources(secrets)).toEqual(['stripe']);
  });

  it('schedules nothing on a fresh clone without credentials', async () => {
    expect(await configuredPullSources(new MapSecrets({}))).toEqual([]);
  });

  it('builds a connector by source name', () => {
    const connector = pullConnectorFor('zendesk', { http: fetch, secrets: new MapSecrets({}) });
    expect(connector.streams.map((s) => s.name)).toEqual([
      'tickets',
      'users',
      'organizations',
      'ticket_metric_events',
      'satisfaction_ratings',
    ]);
  });

  it('reads an API origin override from SLUICE_<SOURCE>_API_BASE', () => {
    expect(pullApiBase('stripe', { SLUICE_STRIPE_API_BASE: 'http://127.0.0.1:12111' })).toEqual({
      apiBase: 'http://127.0.0.1:12111',
    });
    expect(pullApiBase('stripe', {})).toEqual({});
  });
});
