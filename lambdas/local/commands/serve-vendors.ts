import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SALESFORCE_ORG_IDS } from '../../core/ingest/source-secrets.js';
import { findRunningPipeline, type RunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import type { VendorFakes } from '../simulator/fake-vendors/vendor-fakes.js';
import { SIMULATOR_ORG_ID } from '../simulator/salesforce-message.js';

/** The file `sluice simulate --serve-vendors` writes the served vendors' variables to, in `dir`. */
export const VENDORS_ENV_FILE = 'vendors.env';

/**
 * Everything a pipeline needs set to use the served vendors: their variables (see {@link VendorFakes.env})
 * and the simulator's Salesforce organization among the allowed ones, so its outbound messages are accepted too.
 */
export function vendorsEnv(fakes: VendorFakes): Record<string, string> {
  return { ...fakes.env, [SALESFORCE_ORG_IDS]: SIMULATOR_ORG_ID.slice(0, 15) };
}

/**
 * Writes `NAME=value` lines (owner-only: they hold this run's made-up credentials) to `dir/vendors.env`, so a
 * pipeline started in another terminal can be pointed at the fakes with `env $(cat …/vendors.env) npx sluice
 * start`; returns the file's path.
 */
export function writeVendorsEnv(dir: string, env: Readonly<Record<string, string>>): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, VENDORS_ENV_FILE);
  writeFileSync(
    file,
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}\n`)
      .join(''),
    { mode: 0o600 },
  );
  return file;
}

/** Where each served vendor answers, by what uses it (for the summary and `--json`). */
export function vendorUrls(fakes: VendorFakes): Record<string, string> {
  return {
    salesforce_sync: fakes.env['SLUICE_SALESFORCE_LOGIN_URL'] ?? '',
    salesforce_pull: fakes.env['SLUICE_SALESFORCE_API_BASE'] ?? '',
    zendesk_sync: fakes.env['SLUICE_ZENDESK_BASE_URL'] ?? '',
    zendesk_pull: fakes.env['SLUICE_ZENDESK_API_BASE'] ?? '',
    stripe_pull: fakes.env['SLUICE_STRIPE_API_BASE'] ?? '',
    slack_alerts: fakes.env['SLUICE_SLACK_WEBHOOK_URL'] ?? '',
  };
}

/** What `sluice simulate --serve-vendors` prints before sending: where the fakes are and how to use them. */
export function vendorsDescription(fakes: VendorFakes, envFile: string): string {
  const urls = vendorUrls(fakes);
  return [
    "serving the simulated company's vendors on loopback (seeded with its history; Ctrl-C stops):",
    `  salesforce  ${urls['salesforce_sync']} (starter sync: Accounts) · ${urls['salesforce_pull']} (pull connector)`,
    `  zendesk     ${urls['zendesk_sync']} (starter sync: organizations) · ${urls['zendesk_pull']} (pull connector)`,
    `  stripe      ${urls['stripe_pull']} (pull connector)`,
    `  slack       ${urls['slack_alerts']} (alerts)`,
    `point a pipeline at them with these variables (written to ${envFile}):`,
    ...Object.entries(vendorsEnv(fakes)).map(([name, value]) => `  ${name}=${value}`),
    `e.g. in another terminal: env $(cat ${envFile}) npx sluice start`,
  ].join('\n');
}

/**
 * Waits until a pipeline runs on `home` (checked every `everyMs`), so the vendors can be served before the
 * pipeline that uses them starts; resolves undefined if `signal` aborts first.
 */
export async function waitForPipeline(
  home: SluiceHome,
  signal: AbortSignal,
  everyMs = 500,
): Promise<RunningPipeline | undefined> {
  while (!signal.aborted) {
    const running = findRunningPipeline(home);
    if (running) return running;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, everyMs);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
  return undefined;
}
