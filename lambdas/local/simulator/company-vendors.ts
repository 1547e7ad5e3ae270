import { seedPullFakes } from './fake-vendors/seed-pull-fakes.js';
import { startVendorFakes, type VendorFakes } from './fake-vendors/vendor-fakes.js';
import { Simulation } from './simulation.js';

/** Which simulated company the vendors hold: the same seed, size and window the simulator plays. */
export interface CompanyWindow {
  readonly seed: number | string;
  readonly accounts: number;
  readonly days: number;
  /** End of the simulated window, epoch ms. */
  readonly until: number;
}

/**
 * Serves the simulated company's vendors on loopback (see {@link startVendorFakes}) as they stand at the end
 * of its history: the sync destinations hold its accounts (so the starter syncs update them), and the pull
 * connectors' Stripe, Salesforce and Zendesk fakes hold its billing, CRM and support records. The one place
 * both `sluice start --demo` and `sluice simulate --serve-vendors` build them, so both serve the same vendors
 * and point pipelines at them with the same variables ({@link VendorFakes.env}). The history is simulated
 * here on its own (the simulator sending it plays the same one: it is deterministic); live events that follow
 * are not added to the fakes.
 */
export async function serveCompanyVendors(company: CompanyWindow): Promise<VendorFakes> {
  const sim = new Simulation(company);
  const history = sim.advanceTo(company.until);
  const fakes = await startVendorFakes(sim.accounts.map((st) => st.account));
  seedPullFakes(fakes, history);
  return fakes;
}
