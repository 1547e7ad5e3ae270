import { Simulation } from '../../../lambdas/local/simulator/simulation.js';
import type { SimEvent } from '../../../lambdas/local/simulator/sim-event.js';
import type { SendStats } from '../../../lambdas/local/simulator/pipeline-sender.js';

/** A fixed end of the simulated window, so that every test run sees the same company. */
export const UNTIL = Date.UTC(2026, 10, 23, 0);

/** A simulated company run to the end of its window, with every event it emitted. */
export interface SimulatedCompany {
  readonly sim: Simulation;
  readonly events: readonly SimEvent[];
}

/** Runs a company of `accounts` over `days` to its end, in one step. */
export function simulate(accounts: number, days: number, seed: number | string = 1): SimulatedCompany {
  const sim = new Simulation({ seed, accounts, days, until: UNTIL });
  return { sim, events: sim.advanceTo(sim.end) };
}

/** Send statistics as if the pipeline had accepted every event (for ground truths built without a pipeline). */
export function acceptedAll(events: readonly SimEvent[]): SendStats {
  const accepted: Record<string, Record<string, number>> = {};
  for (const e of events) {
    const byType = (accepted[e.source] ??= {});
    byType[e.type] = (byType[e.type] ?? 0) + 1;
  }
  return { accepted, rejected: {}, skipped: {}, requests: 0, retries: 0 };
}
