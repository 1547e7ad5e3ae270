import { buildGroundTruth, writeGroundTruth, type GroundTruth } from './ground-truth.js';
import { PipelineSender, type SendStats } from './pipeline-sender.js';
import { DAY_MS, HOUR_MS, liveStamp } from './sim-time.js';
import type { SimSource } from './sim-event.js';
import { Simulation } from './simulation.js';
import { vendorRequests, type SimulatorSecrets } from './vendor-requests.js';

/** What `sluice simulate` runs. */
export interface RunSimulationOptions {
  readonly accounts: number;
  readonly days: number;
  readonly seed: number | string;
  /** End of the simulated window, epoch ms (default: the start of the current hour, so re-runs within the hour are identical). */
  readonly until?: number;
  /** Base URL of the pipeline (`http://127.0.0.1:4000`). */
  readonly url: string;
  readonly secrets: SimulatorSecrets;
  /** Folder `ground-truth.json` is written to. */
  readonly outDir: string;
  /** After the history, keep sending new events in real time until `signal` aborts. */
  readonly live?: boolean;
  /** In live mode, simulated time per real time (default 1): 60 plays an hour of the company per minute. */
  readonly speed?: number;
  /** Requests in flight at once (default 16). */
  readonly concurrency?: number;
  /** Stops the run: the history stops at a day boundary, live mode at its next tick. */
  readonly signal?: AbortSignal;
  /** Called at most every 200 ms while events are sent, and once at the end. */
  readonly onProgress?: (progress: SimulationProgress) => void;
  /** Live mode's tick, ms (default 1000). */
  readonly tickMs?: number;
  /** Live mode: rewrite the ground truth this often, ms (default 30 000). */
  readonly truthEveryMs?: number;
  /**
   * Live mode: sources that fall silent once the history is sent (their live events are not sent), so a demo
   * shows a stale source raising its freshness alert.
   */
  readonly silentLive?: readonly SimSource[];
}

/** Where a run is. */
export interface SimulationProgress {
  readonly phase: 'history' | 'live';
  /** Simulated time reached, epoch ms. */
  readonly simulatedTo: number;
  readonly generated: number;
  readonly stats: SendStats;
  readonly elapsedMs: number;
}

/** What a run did. */
export interface SimulationResult {
  readonly truth: GroundTruth;
  readonly groundTruthFile: string;
  readonly stats: SendStats;
  /** Events the simulation produced (accepted + rejected + skipped). */
  readonly generated: number;
  readonly elapsedMs: number;
  readonly interrupted: boolean;
}

/** The default end of the simulated window: the start of the current UTC hour. */
export function defaultUntil(now = Date.now()): number {
  return Math.floor(now / HOUR_MS) * HOUR_MS;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Fails with one clear line when nothing answers `GET /health` at `url`. */
async function checkPipeline(url: string): Promise<void> {
  let reason: string;
  try {
    const response = await fetch(`${url}/health`);
    if (response.ok) return;
    reason = `GET /health answered ${response.status}`;
  } catch (error) {
    reason = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
  }
  throw new Error(
    `no Sluice pipeline answers at ${url} (${reason}); start one with "npx sluice start" or pass --url`,
  );
}

/**
 * Runs the simulated company against a pipeline: builds it from the seed, plays its history day by day up to
 * the end of the window — sending each day's events through the real routes, signed as each vendor signs,
 * before simulating the next — then, with `live`, keeps playing new events in real time. Writes the ground
 * truth when the history is sent, and again (as of where it stopped) when a live run ends.
 */
export async function runSimulation(options: RunSimulationOptions): Promise<SimulationResult> {
  const started = Date.now();
  await checkPipeline(options.url);
  const sim = new Simulation({
    seed: options.seed,
    accounts: options.accounts,
    days: options.days,
    until: options.until ?? defaultUntil(),
  });
  const sender = new PipelineSender(options.url, { concurrency: options.concurrency ?? 16 });
  const aborted = (): boolean => options.signal?.aborted === true;
  let generated = 0;
  let lastProgress = 0;
  const progress = (phase: SimulationProgress['phase'], simulatedTo: number, force = false): void => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastProgress < 200)) return;
    lastProgress = now;
    options.onProgress({ phase, simulatedTo, generated, stats: sender.stats, elapsedMs: now - started });
  };
  const play = async (to: number, phase: SimulationProgress['phase']): Promise<void> => {
    const events = sim.advanceTo(to);
    generated += events.length;
    for (const request of vendorRequests(events, options.secrets)) {
      if (phase === 'live' && options.silentLive?.includes(request.source)) continue;
      await sender.submit(request);
      progress(phase, to);
    }
  };

  let asOf = sim.catalogCreatedAt;
  while (asOf < sim.end && !aborted()) {
    asOf = Math.min(sim.end, asOf + DAY_MS);
    await play(asOf, 'history');
  }
  await sender.drain();
  const truthOf = (complete: boolean) =>
    buildGroundTruth(sim, { accounts: options.accounts, days: options.days, asOf, complete }, sender.stats);
  let truth = truthOf(!aborted());
  let groundTruthFile = writeGroundTruth(options.outDir, truth);
  progress('history', asOf, true);

  if (options.live && !aborted()) {
    const speed = options.speed ?? 1;
    const liveStart = Date.now();
    sim.stamp = liveStamp(sim.end, liveStart, speed);
    let lastTruth = liveStart;
    while (!aborted()) {
      await sleep(options.tickMs ?? 1000, options.signal);
      asOf = sim.end + (Date.now() - liveStart) * speed;
      await play(asOf, 'live');
      if (Date.now() - lastTruth >= (options.truthEveryMs ?? 30_000)) {
        lastTruth = Date.now();
        await sender.drain();
        writeGroundTruth(options.outDir, truthOf(true));
      }
    }
    await sender.drain();
    truth = truthOf(true);
    groundTruthFile = writeGroundTruth(options.outDir, truth);
    progress('live', asOf, true);
  }
  return {
    truth,
    groundTruthFile,
    stats: sender.stats,
    generated,
    elapsedMs: Date.now() - started,
    interrupted: !options.live && aborted(),
  };
}
