import { InvalidArgumentError, type Command } from 'commander';
import { SALESFORCE_ORG_IDS } from '../../core/ingest/source-secrets.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { serveCompanyVendors } from '../simulator/company-vendors.js';
import type { VendorFakes } from '../simulator/fake-vendors/vendor-fakes.js';
import {
  defaultUntil,
  runSimulation,
  type SimulationProgress,
  type SimulationResult,
} from '../simulator/run-simulation.js';
import { SIMULATOR_ORG_ID } from '../simulator/salesforce-message.js';
import { ensureSimulatorSecrets } from '../simulator/simulator-secrets.js';
import { join } from 'node:path';
import {
  vendorsDescription,
  vendorsEnv,
  vendorUrls,
  waitForPipeline,
  writeVendorsEnv,
} from './serve-vendors.js';

/** Options of `sluice simulate`, as commander parses them. */
export interface SimulateOptions {
  readonly accounts: number;
  readonly days: number;
  readonly seed: string;
  readonly until?: string;
  readonly speed?: number;
  readonly live?: boolean;
  readonly url?: string;
  readonly out?: string;
  readonly concurrency: number;
  readonly json?: boolean;
  /** Serve the company's vendors (pull APIs, sync destinations, Slack) on loopback while running. */
  readonly serveVendors?: boolean;
}

/** How long the running pipeline may keep a missing secret cached (its secrets file is re-read every second). */
const SECRETS_RELOAD_MS = 1100;

const number = new Intl.NumberFormat('en-US');
const dollars = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

function total(counts: Record<string, number> | undefined): number {
  return Object.values(counts ?? {}).reduce((n, c) => n + c, 0);
}

function progressLine(p: SimulationProgress): string {
  const accepted = Object.values(p.stats.accepted).reduce((n, c) => n + total(c), 0);
  const rate = p.elapsedMs > 0 ? Math.round((accepted * 1000) / p.elapsedMs) : 0;
  const at = new Date(p.simulatedTo).toISOString().slice(0, 16).replace('T', ' ');
  return `${p.phase} ${at} · ${number.format(accepted)} sent · ${number.format(total(p.stats.rejected))} rejected · ${number.format(rate)} events/s`;
}

function summary(result: SimulationResult, url: string): string {
  const { truth, stats } = result;
  const lines = [
    `simulated ${truth.accounts_simulated} accounts over ${truth.days} days (seed ${truth.seed}) against ${url} in ${(result.elapsedMs / 1000).toFixed(1)} s${result.interrupted ? ' (interrupted)' : ''}`,
  ];
  for (const [source, { total: n, by_type }] of Object.entries(truth.events)) {
    const top = Object.entries(by_type)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 4)
      .map(([type, c]) => `${type} ${number.format(c)}`)
      .join(' · ');
    lines.push(
      `  ${source.padEnd(11)} ${number.format(n).padStart(9)} events  (${top}${Object.keys(by_type).length > 4 ? ' · …' : ''})`,
    );
  }
  const rejected = total(stats.rejected);
  lines.push(`  rejected    ${number.format(rejected).padStart(9)}`);
  for (const [reason, n] of Object.entries(stats.rejected)) lines.push(`    ${number.format(n)} × ${reason}`);
  for (const [source, skipped] of Object.entries(stats.skipped)) {
    lines.push(
      `  skipped     ${number.format(skipped.events).padStart(9)} ${source} events: ${skipped.reason}`,
    );
    if (source === 'salesforce')
      lines.push(
        `              set ${SALESFORCE_ORG_IDS}=${SIMULATOR_ORG_ID.slice(0, 15)} where the pipeline runs (environment or SLUICE_HOME/secrets.json) to accept them`,
      );
  }
  const t = truth.totals;
  lines.push(
    `ground truth ${result.groundTruthFile}`,
    `  ${t.accounts} accounts: MRR $${dollars.format(t.mrr_cents / 100)}, ${t.active_accounts} active, ${t.past_due_accounts} past due, ${t.churned_accounts} churned; ${t.open_tickets} open tickets; ${number.format(t.active_users_30d)} users active in the last 30 days`,
  );
  return lines.join('\n');
}

/** Resolves once SIGINT or SIGTERM arrives (Ctrl-C). */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.removeListener('SIGINT', done);
      process.removeListener('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/**
 * `sluice simulate`: drives a fictional B2B SaaS company's traffic — product usage, billing, support, CRM and
 * its own application events — through the running pipeline's real routes, signed as each vendor signs, and
 * writes the company's ground truth. Fails (exit 1) when the pipeline rejected any event. With
 * `--serve-vendors` it also serves the company's vendors on loopback (as `sluice start --demo` does, from the
 * same module) and says how to point a pipeline at them; with no pipeline running yet it waits for one, so
 * the pipeline can be started with the vendors' variables, and after the history it keeps serving until Ctrl-C.
 */
export async function simulateCommand(options: SimulateOptions, home: SluiceHome): Promise<void> {
  if (options.speed !== undefined && !options.live) throw new Error('--speed only applies with --live');
  const parsedUntil = options.until === undefined ? undefined : Date.parse(options.until);
  if (parsedUntil !== undefined && Number.isNaN(parsedUntil))
    throw new Error(`--until must be an ISO 8601 time, not "${options.until}"`);
  // One end of the window for the vendors and the events, even when the hour turns in between.
  const until = parsedUntil ?? defaultUntil();
  const seed = /^\d+$/.test(options.seed) ? Number(options.seed) : options.seed;
  let url = (options.url ?? findRunningPipeline(home)?.url)?.replace(/\/+$/, '');
  if (url === undefined && !options.serveVendors)
    throw new Error(
      `no running pipeline found for ${home.root}; start one with "npx sluice start" or pass --url`,
    );
  const outDir = options.out ?? join(home.root, 'simulator');
  const { secrets, generated } = ensureSimulatorSecrets(home.secretsFile, process.env);
  if (generated.length > 0)
    process.stderr.write(`generated ${generated.join(', ')} into ${home.secretsFile}\n`);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let vendors: VendorFakes | undefined;
  try {
    let envFile: string | undefined;
    if (options.serveVendors) {
      vendors = await serveCompanyVendors({ seed, accounts: options.accounts, days: options.days, until });
      envFile = writeVendorsEnv(outDir, vendorsEnv(vendors));
      if (!options.json) process.stdout.write(`${vendorsDescription(vendors, envFile)}\n`);
      if (url === undefined) {
        if (!options.json)
          process.stderr.write(
            `waiting for a pipeline on ${home.root} (start it with the variables above)…\n`,
          );
        url = (await waitForPipeline(home, controller.signal))?.url.replace(/\/+$/, '');
        if (url === undefined) return;
      }
    }
    if (generated.length > 0) await new Promise((resolve) => setTimeout(resolve, SECRETS_RELOAD_MS));
    const result = await simulate(options, {
      url: url!,
      seed,
      until,
      outDir,
      secrets,
      signal: controller.signal,
    });
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ url, ground_truth: result.groundTruthFile, elapsed_ms: result.elapsedMs, generated: result.generated, events: result.truth.events, rejected: result.stats.rejected, skipped: result.stats.skipped, totals: result.truth.totals, ...(vendors ? { vendors: { env_file: envFile, urls: vendorUrls(vendors), env: vendorsEnv(vendors) } } : {}) })}\n`
        : `${summary(result, url!)}\n`,
    );
    const rejected = total(result.stats.rejected);
    if (rejected > 0)
      throw new Error(
        `the pipeline rejected ${number.format(rejected)} simulated event(s); see the reasons above`,
      );
    // Without --live the history is sent: the vendors stay up for the pipeline's syncs, pulls and alerts.
    if (vendors && !controller.signal.aborted) {
      if (!options.json) process.stderr.write('history sent; still serving the vendors until Ctrl-C\n');
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      await interrupted();
    }
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await vendors?.close();
  }
}

/** Runs the simulation with a progress line on a terminal. */
async function simulate(
  options: SimulateOptions,
  run: {
    url: string;
    seed: number | string;
    until: number;
    outDir: string;
    secrets: ReturnType<typeof ensureSimulatorSecrets>['secrets'];
    signal: AbortSignal;
  },
): Promise<SimulationResult> {
  const tty = process.stderr.isTTY && !options.json;
  if (options.live && !options.json)
    process.stderr.write(
      `sending history, then live events at ${options.speed ?? 1}× real time; Ctrl-C stops\n`,
    );
  try {
    return await runSimulation({
      accounts: options.accounts,
      days: options.days,
      seed: run.seed,
      url: run.url,
      secrets: run.secrets,
      outDir: run.outDir,
      concurrency: options.concurrency,
      signal: run.signal,
      until: run.until,
      ...(options.live ? { live: true, speed: options.speed ?? 1 } : {}),
      ...(tty
        ? { onProgress: (p: SimulationProgress) => process.stderr.write(`\r\x1b[K${progressLine(p)}`) }
        : {}),
    });
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
  }
}

/** Adds `sluice simulate` to the CLI. */
export function registerSimulateCommand(program: Command, home: SluiceHome): void {
  program
    .command('simulate')
    .description(
      'drive a simulated B2B SaaS company (usage, billing, support, CRM, app events) through the running pipeline',
    )
    .option('-a, --accounts <n>', 'customer accounts to simulate', positiveInteger, 50)
    .option('-d, --days <n>', 'days of history to simulate, ending now', positiveInteger, 30)
    .option('-s, --seed <seed>', 'seed: the same seed gives the same company, events and ids', '1')
    .option(
      '--until <time>',
      'end of the simulated window (ISO 8601; default: the start of the current hour)',
    )
    .option('--live', 'after the history, keep sending new events in real time until Ctrl-C')
    .option(
      '--speed <x>',
      'with --live: simulated time per real time (60 = an hour per minute)',
      positiveNumber,
    )
    .option('--url <url>', 'pipeline URL (default: the pipeline running on SLUICE_HOME)')
    .option(
      '-o, --out <dir>',
      'folder for ground-truth.json and vendors.env (default: SLUICE_HOME/simulator)',
    )
    .option('--concurrency <n>', 'requests in flight at once', positiveInteger, 16)
    .option('--json', 'print the summary as JSON')
    .option(
      '--serve-vendors',
      "also serve the company's vendors on loopback, seeded with its history (Stripe, Zendesk and Salesforce APIs for the pull connectors, Salesforce and Zendesk for the starter syncs, a Slack webhook for alerts); prints the variables that point a pipeline at them (also written to <out>/vendors.env), waits for a pipeline if none runs yet, and keeps serving after the history until Ctrl-C",
    )
    .action((options: SimulateOptions) => simulateCommand(options, home));
}
