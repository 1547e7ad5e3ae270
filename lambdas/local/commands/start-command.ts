import { ensureLocalSecret } from '../../adapters/local/local-secrets.js';
import { SALESFORCE_ORG_IDS, sourceSecretName } from '../../core/ingest/source-secrets.js';
import { configuredPullSources, PULL_SCHEDULE } from '../../core/pull/pull-connectors.js';
import { loadConfigFile } from '../config-file.js';
import { openLocalPorts } from '../local-ports.js';
import { LocalPipeline } from '../local-pipeline.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { defaultUntil } from '../simulator/run-simulation.js';
import {
  DEMO,
  demoConfig,
  prepareDemo,
  serveDemoVendors,
  startDemo,
  type RunningDemo,
} from './start-demo.js';
import { sourceLine } from './source-lines.js';

/** Options of `sluice start`. */
export interface StartOptions {
  readonly port: number;
  readonly host: string;
  /** Run the simulated company live against the pipeline, so every dashboard panel fills within minutes. */
  readonly demo?: boolean;
}

/** The line `sluice start` prints when nothing is configured to send it events. */
export const DEMO_OFFER =
  'No sources configured. Run `npm start -- --demo` to watch it work on a simulated SaaS company (Segment, Stripe, Zendesk, Salesforce traffic, models, dashboard).';

/**
 * `sluice start` (`npm start`): runs the local pipeline in the foreground until Ctrl-C, then drains and stops
 * cleanly. Prints where everything is, and generates a signing secret for each declared webhook source
 * whose secret is not set (into `SLUICE_HOME/secrets.json`). With `--demo` it also plays the simulated company
 * through the real routes (history, then live); with no sources and no `--demo` it offers the demo.
 */
export async function startCommand(
  options: StartOptions,
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const already = findRunningPipeline(home);
  if (already)
    throw new Error(`a pipeline already runs on ${home.root} (pid ${already.pid}, ${already.url})`);
  const loaded = await loadConfigFile(configPath);
  // The demo serves its vendors (Salesforce, Zendesk, Stripe, Slack) on loopback, points the starter syncs,
  // pull connectors and alerts at them, and gives its silenced source a short freshness SLA.
  const until = defaultUntil();
  const vendors = options.demo ? await serveDemoVendors(process.env, until) : undefined;
  const config = options.demo ? demoConfig(loaded) : loaded;
  const generated: string[] = [];
  for (const [name, source] of Object.entries(config.sources)) {
    const secret = sourceSecretName(name, source.kind);
    if (secret && ensureLocalSecret(home.secretsFile, secret, process.env).generated) generated.push(secret);
  }
  // The demo's secrets go into the secrets file before the pipeline opens it, and its fictional Salesforce
  // organization is allowed, so the pipeline accepts the simulator's traffic from the first request.
  const demo = options.demo ? prepareDemo(home, process.env) : undefined;
  const ports = await openLocalPorts(home);
  const pipeline = new LocalPipeline(config, home, ports);
  let url: string;
  try {
    url = await pipeline.start(options.port, options.host);
  } catch (error) {
    await ports.close();
    await vendors?.close();
    throw error;
  }
  const pullable = new Set(await configuredPullSources(ports.secrets));
  const sources = Object.entries(config.sources).map(([name, source]) =>
    sourceLine(name, source.kind, url, { schedule: PULL_SCHEDULE, credentialsSet: pullable.has(name) }),
  );
  const lines = [
    `Sluice local pipeline running at ${url}`,
    `  home        ${home.root}`,
    `  warehouse   ${home.warehouseFile} (DuckDB)`,
    `  landing     ${home.root}/landing`,
    `  secrets     ${home.secretsFile}${generated.length > 0 ? ` (generated for: ${generated.join(', ')})` : ''}`,
    `  sources     ${sources.join('\n              ') || 'none configured'}`,
    ...(Object.values(config.sources).some((s) => s.kind === 'salesforce') && !process.env[SALESFORCE_ORG_IDS]
      ? [
          `  note        set ${SALESFORCE_ORG_IDS} to your Salesforce organization id(s) to accept outbound messages`,
        ]
      : []),
    `  health      GET ${url}/health`,
    `  dashboard   ${url}/dashboard`,
    'Query with: npx sluice query "select count(*) from raw.<source>"   Stop with Ctrl-C.',
    ...(demo
      ? [
          ...(vendors
            ? [
                `  vendors     fake Salesforce, Zendesk, Stripe and Slack on loopback (the starter syncs, pull connectors and alerts use them)`,
              ]
            : []),
          `Demo: playing ${DEMO.accounts} simulated accounts (${DEMO.days} days of history, then live at ${DEMO.speed}× real time); open ${url}/dashboard`,
        ]
      : sources.length === 0
        ? [DEMO_OFFER]
        : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const running: RunningDemo | undefined = demo ? startDemo(url, home, demo, undefined, until) : undefined;
  await new Promise<void>((resolve) => {
    const shutdown = (): void => {
      process.stdout.write('stopping: landing and loading what is queued…\n');
      void (running?.stop() ?? Promise.resolve())
        .then(() => pipeline.stop())
        .then(() => vendors?.close())
        .then(resolve, (error: unknown) => {
          process.stderr.write(`sluice: stop failed: ${(error as Error).message}\n`);
          resolve();
        });
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  process.stdout.write('stopped\n');
}
