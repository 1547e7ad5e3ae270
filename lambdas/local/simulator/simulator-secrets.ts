import { ensureLocalSecret } from '../../adapters/local/local-secrets.js';
import { sourceSecretName } from '../../core/ingest/source-secrets.js';
import type { SimulatorSecrets } from './vendor-requests.js';

/** The generic webhook source the simulated company's own application posts to. */
export const APP_EVENTS_SOURCE = 'app_events';

/** The secret names the simulator signs with, by the contract's names (ARCHITECTURE §7). */
export const SIMULATOR_SECRET_NAMES = {
  segmentWriteKey: sourceSecretName('segment', 'segment') as string,
  stripeWebhookSecret: sourceSecretName('stripe', 'stripe') as string,
  zendeskWebhookSecret: sourceSecretName('zendesk', 'zendesk') as string,
  appEventsWebhookSecret: sourceSecretName(APP_EVENTS_SOURCE, 'webhook') as string,
} as const satisfies Record<keyof SimulatorSecrets, string>;

/**
 * The secrets the local pipeline checks, read the way it reads them: the environment first, then
 * `SLUICE_HOME/secrets.json`. A secret neither has is generated into the file (as `sluice start` does), so the
 * running pipeline — which re-reads the file — accepts the simulator's traffic without any setup; the names
 * generated are returned so the user can be told.
 */
export function ensureSimulatorSecrets(
  secretsFile: string,
  env: NodeJS.ProcessEnv,
): { secrets: SimulatorSecrets; generated: string[] } {
  const generated: string[] = [];
  const read = (name: string): string => {
    const secret = ensureLocalSecret(secretsFile, name, env);
    if (secret.generated) generated.push(name);
    return secret.value;
  };
  const secrets: SimulatorSecrets = {
    segmentWriteKey: read(SIMULATOR_SECRET_NAMES.segmentWriteKey),
    stripeWebhookSecret: read(SIMULATOR_SECRET_NAMES.stripeWebhookSecret),
    zendeskWebhookSecret: read(SIMULATOR_SECRET_NAMES.zendeskWebhookSecret),
    appEventsWebhookSecret: read(SIMULATOR_SECRET_NAMES.appEventsWebhookSecret),
  };
  return { secrets, generated };
}
