import { join } from 'node:path';
import type { ResolvedConfig } from '../../core/config/config-types.js';
import { SALESFORCE_ORG_IDS } from '../../core/ingest/source-secrets.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { serveCompanyVendors } from '../simulator/company-vendors.js';
import type { VendorFakes } from '../simulator/fake-vendors/vendor-fakes.js';
import { defaultUntil, runSimulation, type SimulationProgress } from '../simulator/run-simulation.js';
import { SIMULATOR_ORG_ID } from '../simulator/salesforce-message.js';
import { ensureSimulatorSecrets } from '../simulator/simulator-secrets.js';
import type { SimulatorSecrets } from '../simulator/vendor-requests.js';

/**
 * What `sluice start --demo` plays: a company small enough that its history is sent, loaded and modelled in
 * well under two minutes on a laptop, then live traffic at an hour of company time per minute, so the
 * dashboard's rates, freshness and charts keep moving.
 */
export const DEMO = { accounts: 12, days: 21, seed: 1, speed: 60, concurrency: 8 } as const;

/**
 * The source the demo silences once its history is sent, so the dashboard shows a stale source alerting (and
 * the alert "sent to Slack", the demo's fake one) within two minutes of `npm start`, with its demo-only SLA:
 * warn after half a minute without new rows, error after one. The monitors run every minute in the demo, so
 * the error is seen at most a minute after the history (sent in well under a minute) ends.
 */
export const DEMO_STALE = {
  source: 'app_events',
  warnAfterMinutes: 0.5,
  errorAfterMinutes: 1,
  monitorSchedule: 'rate(1 minute)',
} as const;

/**
 * The demo's changes to the configuration, in memory only (the config file stays as its users wrote it): the
 * stale source's short freshness SLA (replacing any it had), monitors every minute, and no change-ratio
 * circuit breaker on the syncs — with a dozen accounts and an hour of company time per minute, a quarter of
 * the health scores can change between two runs, which would hold a sync and page about the demo's own fakes.
 */
export function demoConfig(config: ResolvedConfig): ResolvedConfig {
  const syncs = config.syncs.map((sync) => ({ ...sync, maxChangeRatio: 1 }));
  if (!Object.hasOwn(config.sources, DEMO_STALE.source)) return { ...config, syncs };
  const table = `raw.${DEMO_STALE.source}`;
  return {
    ...config,
    syncs,
    monitors: {
      ...config.monitors,
      schedule: DEMO_STALE.monitorSchedule,
      freshness: [
        ...config.monitors.freshness.filter((sla) => sla.table !== table),
        {
          table,
          column: 'received_at',
          warnAfterMinutes: DEMO_STALE.warnAfterMinutes,
          errorAfterMinutes: DEMO_STALE.errorAfterMinutes,
        },
      ],
    },
  };
}

/**
 * Serves the demo company's vendors on loopback (Salesforce, Zendesk, Stripe, Slack; see
 * {@link serveCompanyVendors}), seeded with {@link DEMO}'s company as of `until`, and points this process's
 * environment at them — replacing any vendor credentials set there, so a demo never writes simulated data to
 * a real org. Call before the pipeline opens its ports.
 */
export async function serveDemoVendors(env: NodeJS.ProcessEnv, until: number): Promise<VendorFakes> {
  const fakes = await serveCompanyVendors({
    seed: DEMO.seed,
    accounts: DEMO.accounts,
    days: DEMO.days,
    until,
  });
  Object.assign(env, fakes.env);
  return fakes;
}

/**
 * Loads the history now and runs the monitors once, through the pipeline's admin routes, so the dashboard's
 * freshness, anomaly and alert panels fill without waiting for the first scheduled monitor run.
 */
async function firstMonitorRun(home: SluiceHome): Promise<void> {
  const pipeline = findRunningPipeline(home);
  if (!pipeline) return;
  await pipeline.call('POST', '/admin/load');
  await pipeline.call('POST', '/admin/monitor');
}

/** A demo playing against the pipeline. */
export interface RunningDemo {
  /** Stops sending (the current request batch is finished) and resolves once the simulator has stopped. */
  stop(): Promise<void>;
}

/**
 * Makes the pipeline about to start accept the simulator: its signing secrets are read or generated into
 * `SLUICE_HOME/secrets.json`, and its fictional Salesforce organization is added to the allowed ones in this
 * process's environment. Call before the pipeline opens its ports.
 */
export function prepareDemo(home: SluiceHome, env: NodeJS.ProcessEnv): SimulatorSecrets {
  const allowed = env[SALESFORCE_ORG_IDS];
  if (!allowed?.split(',').some((id) => id.trim() === SIMULATOR_ORG_ID))
    env[SALESFORCE_ORG_IDS] = allowed ? `${allowed},${SIMULATOR_ORG_ID}` : SIMULATOR_ORG_ID;
  return ensureSimulatorSecrets(home.secretsFile, env).secrets;
}

/**
 * Starts the simulated company against the pipeline at `url` in the background: {@link DEMO}'s history up to
 * `until` (pass the one {@link serveDemoVendors} was seeded with), then live until stopped, except
 * {@link DEMO_STALE}'s source. Says on stdout when the history is in, and on stderr if the simulator fails (the
 * pipeline keeps running either way).
 */
export function startDemo(
  url: string,
  home: SluiceHome,
  secrets: SimulatorSecrets,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  until: number = defaultUntil(),
): RunningDemo {
  const controller = new AbortController();
  let live = false;
  const onProgress = (p: SimulationProgress): void => {
    if (live || p.phase !== 'live') return;
    live = true;
    const sent = Object.values(p.stats.accepted).reduce(
      (n, byType) => n + Object.values(byType ?? {}).reduce((m, c) => m + c, 0),
      0,
    );
    write(
      `demo: ${sent.toLocaleString('en-US')} events of history sent in ${(p.elapsedMs / 1000).toFixed(0)} s; now sending live traffic (all but ${DEMO_STALE.source}, which goes stale and alerts)`,
    );
    void firstMonitorRun(home).catch((error: unknown) =>
      process.stderr.write(`sluice: the demo's first monitor run failed: ${(error as Error).message}\n`),
    );
  };
  const done = runSimulation({
    accounts: DEMO.accounts,
    days: DEMO.days,
    seed: DEMO.seed,
    until,
    silentLive: [DEMO_STALE.source],
    url,
    secrets,
    outDir: join(home.root, 'simulator'),
    concurrency: DEMO.concurrency,
    live: true,
    speed: DEMO.speed,
    signal: controller.signal,
    onProgress,
  }).then(
    () => undefined,
    (error: unknown) => {
      if (!controller.signal.aborted)
        process.stderr.write(`sluice: the demo simulator stopped: ${(error as Error).message}\n`);
    },
  );
  return {
    async stop() {
      controller.abort();
      await done;
    },
  };
}
