import { salesforceId18 } from '../../sources/salesforce/salesforce-id.js';
import { PLANS, type BillingInterval, type PlanName } from './catalog.js';
import { rngFor, type Rng } from './prng.js';
import { DAY_MS, HOUR_MS } from './sim-time.js';
import {
  ACCOUNT_OWNERS,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  COUNTRIES,
  FIRST_NAMES,
  INDUSTRIES,
  LAST_NAMES,
} from './word-lists.js';

/** Where an account is heading over the simulated window; drives usage, tickets, expansions and churn. */
export type Trend = 'growing' | 'stable' | 'declining';

/** A user of the simulated product, with the ids each vendor knows them by. */
export interface SimUser {
  /** The product's user id: Segment `userId`, app events' `user_id`. */
  readonly id: string;
  /** The browser id Segment knew the user by before they signed in. */
  readonly anonymousId: string;
  readonly name: string;
  readonly email: string;
  readonly role: 'admin' | 'member' | 'viewer';
  /** The user's id as a Zendesk end user (ticket requester). */
  readonly zendeskUserId: string;
  /** When the user joined the account. */
  readonly joinedAt: number;
  /** Probability of using the product on a working day, before trends and seasonality. */
  readonly engagement: number;
}

/** A customer of the simulated company, with its ids in every vendor and how its story begins. */
export interface SimAccount {
  readonly index: number;
  /** The product's account id: Segment `groupId`, Stripe `metadata.account_id`, Zendesk organization `external_id`. */
  readonly id: string;
  readonly name: string;
  /** The customer's domain (reserved `.example` TLD). */
  readonly domain: string;
  readonly industry: string;
  readonly country: string;
  readonly employees: number;
  /** When the account signed up (before the window for most accounts, inside it for new ones). */
  readonly createdAt: number;
  readonly trend: Trend;
  readonly plan: PlanName;
  readonly interval: BillingInterval;
  readonly seats: number;
  /** Hours from UTC of the customer's working day. */
  readonly utcOffsetHours: number;
  readonly stripeCustomerId: string;
  readonly stripeSubscriptionId: string;
  readonly stripeSubscriptionItemId: string;
  readonly stripePaymentMethodId: string;
  /** 18-character Salesforce Account id. */
  readonly salesforceAccountId: string;
  /** 18-character Salesforce user id of the account owner. */
  readonly salesforceOwnerId: string;
  readonly zendeskOrganizationId: string;
  /** Users present when the simulated window opens (later ones join through {@link makeUser}). */
  readonly users: readonly SimUser[];
}

/** What {@link buildCompany} needs. */
export interface CompanyOptions {
  readonly seed: number | string;
  readonly accounts: number;
  /** Start and end of the simulated window, epoch milliseconds. */
  readonly start: number;
  readonly end: number;
}

const slug = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

/** A value between `min` and `max` whose logarithm is uniform: many small customers, a few large ones. */
function logUniform(rng: Rng, min: number, max: number): number {
  return Math.exp(rng.float(Math.log(min), Math.log(max + 1)));
}

/**
 * User `k` of an account, drawn from its own stream so that the users an account gains later do not change
 * anyone else's draws.
 */
export function makeUser(
  seed: number | string,
  account: Pick<SimAccount, 'index' | 'domain'>,
  k: number,
  joinedAt: number,
): SimUser {
  const rng = rngFor(seed, 'user', account.index, k);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const engagement = rng.weighted<number>([
    [rng.float(0.8, 0.95), 0.25],
    [rng.float(0.45, 0.7), 0.5],
    [rng.float(0.1, 0.3), 0.25],
  ]);
  return {
    id: `usr_${rng.base62(12)}`,
    anonymousId: rng.uuid(),
    name: `${first} ${last}`,
    email: `${slug(first)}.${slug(last)}${k > 0 ? k : ''}@${account.domain}`,
    role:
      k === 0
        ? 'admin'
        : rng.weighted<'admin' | 'member' | 'viewer'>([
            ['admin', 0.1],
            ['member', 0.7],
            ['viewer', 0.2],
          ]),
    zendeskUserId: rng.digits(13),
    joinedAt,
    engagement,
  };
}

/** A company name not used yet: prefix and suffix, with a distinguishing word when both are taken. */
function uniqueName(rng: Rng, taken: Set<string>): string {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const name = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_SUFFIXES)}`;
    if (!taken.has(name)) return name;
  }
  let n = 2;
  const base = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_SUFFIXES)}`;
  while (taken.has(`${base} ${n}`)) n += 1;
  return `${base} ${n}`;
}

function drawAccount(options: CompanyOptions, index: number, taken: Set<string>): SimAccount {
  const rng = rngFor(options.seed, 'account', index);
  const name = uniqueName(rng, taken);
  taken.add(name);
  const domain = `${slug(name)}.example`;
  const windowDays = (options.end - options.start) / DAY_MS;
  const isNew = windowDays >= 3 && rng.chance(0.08);
  const createdAt = isNew
    ? options.start + Math.floor(rng.float(0, (options.end - options.start) * 0.85))
    : options.start - Math.floor(logUniform(rng, 14, 900) * DAY_MS) - rng.int(0, 23) * HOUR_MS;
  const trend: Trend = isNew
    ? 'growing'
    : rng.weighted<Trend>([
        ['growing', 0.25],
        ['stable', 0.55],
        ['declining', 0.2],
      ]);
  const plan = rng.weighted<PlanName>([
    ['starter', 0.5],
    ['growth', 0.35],
    ['enterprise', 0.15],
  ]);
  const annualShare = { starter: 0.15, growth: 0.4, enterprise: 0.8 }[plan];
  const interval: BillingInterval = rng.chance(annualShare) ? 'year' : 'month';
  const [minSeats, maxSeats] = PLANS[plan].seats;
  const seats = Math.max(minSeats, Math.min(maxSeats, Math.round(logUniform(rng, minSeats, maxSeats))));
  const account = {
    index,
    id: `acc_${rng.base62(10)}`,
    name,
    domain,
    industry: rng.pick(INDUSTRIES),
    country: rng.pick(COUNTRIES),
    employees: Math.round(seats * rng.float(3, 12)),
    createdAt,
    trend,
    plan,
    interval,
    seats,
    utcOffsetHours: rng.pick([-8, -7, -6, -5, -5, -4, 0, 1, 1, 2, 3, 5.5, 8, 9, 10]),
    stripeCustomerId: `cus_${rng.base62(14)}`,
    stripeSubscriptionId: `sub_1${rng.base62(23)}`,
    stripeSubscriptionItemId: `si_${rng.base62(14)}`,
    stripePaymentMethodId: `pm_1${rng.base62(23)}`,
    salesforceAccountId: salesforceId18(`001${rng.base62(12)}`),
    salesforceOwnerId: salesforceId18(rng.pick(ACCOUNT_OWNERS)),
    zendeskOrganizationId: rng.digits(12),
  };
  const initialUsers = Math.max(1, Math.round(seats * (isNew ? rng.float(0.3, 0.6) : rng.float(0.6, 0.95))));
  const users: SimUser[] = [];
  for (let k = 0; k < initialUsers; k += 1) {
    const joinedAt = isNew
      ? createdAt + k * rng.int(1, 90) * 60_000
      : createdAt + (k === 0 ? 0 : rng.float(0, options.start - createdAt));
    users.push(makeUser(options.seed, account, k, Math.floor(joinedAt)));
  }
  return { ...account, users };
}

/**
 * Draws the customers of the simulated company: names, domains, industries, plans (half Starter, a third
 * Growth, the rest Enterprise, larger plans billed annually more often), seats, sign-up dates (mostly months or
 * years before the window, about one in twelve inside it), trends and users. Each account comes from its own
 * seeded stream, so account `i` is the same whatever the number of accounts.
 */
export function buildCompany(options: CompanyOptions): SimAccount[] {
  const taken = new Set<string>();
  const accounts: SimAccount[] = [];
  for (let index = 0; index < options.accounts; index += 1) accounts.push(drawAccount(options, index, taken));
  return accounts;
}
