/**
 * What the simulated company sells: three per-seat plans, each billed monthly or annually (two months free),
 * as Stripe products and prices with fixed ids, so that models can name plans the same way in every run.
 */

/** The plans, cheapest first: upgrades move right, downgrades left. */
export const PLAN_NAMES = ['starter', 'growth', 'enterprise'] as const;

/** A plan of the catalog. */
export type PlanName = (typeof PLAN_NAMES)[number];

/** How often a subscription is billed. */
export type BillingInterval = 'month' | 'year';

/** One plan: its Stripe product and its two prices. */
export interface Plan {
  readonly name: PlanName;
  readonly displayName: string;
  readonly productId: string;
  /** Price per seat per month, in cents. */
  readonly monthlyCents: number;
  /** Price per seat per year, in cents (ten months' worth). */
  readonly annualCents: number;
  readonly monthlyPriceId: string;
  readonly annualPriceId: string;
  /** Seats an account on this plan typically buys (log-uniform between the bounds). */
  readonly seats: readonly [number, number];
}

/** The catalog, by plan name. */
export const PLANS: Readonly<Record<PlanName, Plan>> = {
  starter: {
    name: 'starter',
    displayName: 'Starter',
    productId: 'prod_SimStarter0001',
    monthlyCents: 1900,
    annualCents: 19000,
    monthlyPriceId: 'price_1SimStarterMonthly00001',
    annualPriceId: 'price_1SimStarterAnnual000001',
    seats: [2, 12],
  },
  growth: {
    name: 'growth',
    displayName: 'Growth',
    productId: 'prod_SimGrowth00001',
    monthlyCents: 3900,
    annualCents: 39000,
    monthlyPriceId: 'price_1SimGrowthMonthly000001',
    annualPriceId: 'price_1SimGrowthAnnual0000001',
    seats: [8, 45],
  },
  enterprise: {
    name: 'enterprise',
    displayName: 'Enterprise',
    productId: 'prod_SimEnterprise01',
    monthlyCents: 7900,
    annualCents: 79000,
    monthlyPriceId: 'price_1SimEnterpriseMonthly001',
    annualPriceId: 'price_1SimEnterpriseAnnual0001',
    seats: [30, 160],
  },
};

/** The Stripe price id of a plan and interval. */
export function priceIdOf(plan: PlanName, interval: BillingInterval): string {
  return interval === 'month' ? PLANS[plan].monthlyPriceId : PLANS[plan].annualPriceId;
}

/** The unit amount (cents per seat per interval) of a plan and interval. */
export function unitAmountOf(plan: PlanName, interval: BillingInterval): number {
  return interval === 'month' ? PLANS[plan].monthlyCents : PLANS[plan].annualCents;
}

/**
 * Monthly recurring revenue of a subscription, in cents: the monthly amount, or the annual amount divided by
 * twelve and rounded to the cent. This is the definition the ground truth uses; models should match it.
 */
export function mrrCents(plan: PlanName, interval: BillingInterval, seats: number): number {
  const amount = unitAmountOf(plan, interval) * seats;
  return interval === 'month' ? amount : Math.round(amount / 12);
}
