import { describe, expect, it } from 'vitest';
import { configuredPullSources, pullConnectorFor } from '../../../lambdas/core/pull/pull-connectors.js';
import { MapSecrets } from '../../support/memory-ports.js';

describe('the Salesforce and Amplitude pull connectors in the registry', () => {
  it('are scheduled once their credentials are set', async () => {
    const secrets = new MapSecrets({
      SLUICE_SALESFORCE_CLIENT_ID: 'id',
      SLUICE_SALESFORCE_CLIENT_SECRET: 'secret',
      SLUICE_AMPLITUDE_API_KEY: 'key',
      SLUICE_AMPLITUDE_SECRET_KEY: 'secret',
    });
    expect(await configuredPullSources(secrets)).toEqual(['salesforce', 'amplitude']);
  });

  it('reads Salesforce objects beside the default ones from the config', () => {
    const connector = pullConnectorFor('salesforce', {
      http: fetch,
      secrets: new MapSecrets({}),
      sources: { salesforce: { kind: 'salesforce', pull: { objects: ['Invoice__c', 'account'] } } },
    });
    expect(connector.streams.map((s) => s.name)).toEqual([
      'account',
      'contact',
      'opportunity',
      'case',
      'invoice__c',
    ]);
  });

  it('carries the drift policies of the source config', () => {
    const connector = pullConnectorFor('amplitude', {
      http: fetch,
      secrets: new MapSecrets({}),
      sources: { amplitude: { kind: 'amplitude', pull: { drift: { events: 'allow_columns' } } } },
    });
    expect(connector.drift).toEqual({ events: 'allow_columns' });
  });
});
