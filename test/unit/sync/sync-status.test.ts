import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { runSync } from '../../../lambdas/core/sync/run-sync.js';
import {
  formatSyncStatus,
  lastSyncRuns,
  syncStates,
  withLastRuns,
} from '../../../lambdas/local/sync-status.js';
import { MapSecrets } from '../../support/memory-ports.js';
import { HEALTH_SYNC, RecordingDestination, accounts, syncFixture } from './sync-fixture.js';

const WEBHOOK_SYNC: SyncConfig = { ...HEALTH_SYNC, name: 'health_to_webhook', destination: 'webhook' };

type Fixture = Awaited<ReturnType<typeof syncFixture>>;
let fixture: Fixture;

beforeEach(async () => {
  fixture = await syncFixture(accounts(2));
});
afterEach(() => fixture.close());

async function statusLines(): Promise<string[]> {
  const config = resolveConfig({ syncs: [HEALTH_SYNC, WEBHOOK_SYNC] });
  const secrets = new MapSecrets({
    SLUICE_SYNC_WEBHOOK_URL: 'http://127.0.0.1:9/',
    SLUICE_SYNC_WEBHOOK_SECRET: 's',
  });
  const states = await syncStates(config, secrets);
  return formatSyncStatus(withLastRuns(states, await lastSyncRuns(fixture.warehouse)));
}

describe('sluice status syncs', () => {
  it('lists each sync with its destination and a last run of never before any run', async () => {
    const lines = await statusLines();
    expect(lines.map((l) => l.replace(/\s+/g, ' '))).toEqual([
      'sync health_to_crm → hubspot last run never skipped: credentials not set (SLUICE_HUBSPOT_TOKEN)',
      'sync health_to_webhook → webhook last run never',
    ]);
  });

  it('shows the latest run of a sync that ran', async () => {
    await runSync(fixture.ports, WEBHOOK_SYNC, new RecordingDestination());
    const [, line] = await statusLines();
    expect(line?.replace(/\s+/g, ' ')).toBe(
      'sync health_to_webhook → webhook last run 2026-11-24T10:00:00.000Z succeeded (sent 2, 0 failed)',
    );
  });
});
