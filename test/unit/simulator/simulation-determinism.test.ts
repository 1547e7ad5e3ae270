import { describe, expect, it } from 'vitest';
import { buildCompany } from '../../../lambdas/local/simulator/company.js';
import { Simulation } from '../../../lambdas/local/simulator/simulation.js';
import { DAY_MS } from '../../../lambdas/local/simulator/sim-time.js';
import { simulate, UNTIL } from './simulated-company.js';

describe('the simulated company', () => {
  it('sends byte-identical events with the same ids for the same seed', () => {
    const first = simulate(6, 10, 42).events;
    const second = simulate(6, 10, 42).events;
    expect(first.length).toBeGreaterThan(1000);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('is another company with other ids under another seed', () => {
    const ids = new Set(simulate(6, 10, 42).events.map((e) => e.id));
    const other = simulate(6, 10, 43).events;
    expect(other.filter((e) => ids.has(e.id))).toEqual([]);
  });

  it('emits the same events whether it runs to the end at once or hour by hour', () => {
    const once = simulate(4, 5, 7).events;
    const sim = new Simulation({ seed: 7, accounts: 4, days: 5, until: UNTIL });
    const pieces = [];
    for (let t = sim.start - 400 * DAY_MS; t <= sim.end; t += 3_600_000) pieces.push(...sim.advanceTo(t));
    pieces.push(...sim.advanceTo(sim.end));
    expect(JSON.stringify(pieces)).toBe(JSON.stringify(once));
  });

  it('keeps each account the same whatever the number of accounts', () => {
    const window = { seed: 1, start: UNTIL - 30 * DAY_MS, end: UNTIL };
    const few = buildCompany({ ...window, accounts: 3 });
    const many = buildCompany({ ...window, accounts: 9 });
    expect(many.slice(0, 3)).toEqual(few);
  });
});
