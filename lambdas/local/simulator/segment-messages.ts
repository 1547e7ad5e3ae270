import type { SimAccount, SimUser } from './company.js';
import type { Rng } from './prng.js';
import { PLANS, type PlanName } from './catalog.js';
import { isoOf, type Stamp } from './sim-time.js';

/** A page of the simulated product: its name, category and path. */
export interface ProductPage {
  readonly name: string;
  readonly category: string;
  readonly path: string;
}

const APP_HOST = 'https://app.sluice-sim.example';

const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
] as const;

/** The `context` analytics.js sends with every call, with the account as `groupId`. */
function contextOf(user: SimUser, account: SimAccount, page: ProductPage | undefined) {
  const agent = USER_AGENTS[user.zendeskUserId.charCodeAt(3) % USER_AGENTS.length] as string;
  return {
    groupId: account.id,
    ip: `203.0.113.${(account.index % 250) + 1}`,
    library: { name: 'analytics.js', version: 'npm:next-1.72.0' },
    locale: 'en-US',
    userAgent: agent,
    ...(page
      ? {
          page: {
            path: page.path,
            referrer: '',
            title: `${page.name} · Sluice Sim`,
            url: `${APP_HOST}${page.path}`,
          },
        }
      : {}),
  };
}

/** Fields every call shares. `sentAt` is left to the batch: it is stamped when the request leaves. */
function common(
  type: string,
  messageId: string,
  user: SimUser,
  account: SimAccount,
  stamp: Stamp,
  at: number,
  page?: ProductPage,
) {
  return {
    type,
    messageId,
    userId: user.id,
    anonymousId: user.anonymousId,
    timestamp: isoOf(stamp, at),
    context: contextOf(user, account, page),
  };
}

/** An `identify` call: the user's traits, as the product sends them when the user signs in. */
export function identifyCall(
  messageId: string,
  user: SimUser,
  account: SimAccount,
  stamp: Stamp,
  at: number,
): Record<string, unknown> {
  return {
    ...common('identify', messageId, user, account, stamp, at),
    traits: {
      email: user.email,
      name: user.name,
      role: user.role,
      created_at: isoOf(stamp, user.joinedAt),
      company: { id: account.id, name: account.name },
    },
  };
}

/** A `group` call: ties the user to their account, with the account's traits. */
export function groupCall(
  messageId: string,
  user: SimUser,
  account: SimAccount,
  plan: PlanName,
  seats: number,
  stamp: Stamp,
  at: number,
): Record<string, unknown> {
  return {
    ...common('group', messageId, user, account, stamp, at),
    groupId: account.id,
    traits: {
      name: account.name,
      website: `https://${account.domain}`,
      industry: account.industry,
      employees: account.employees,
      plan: PLANS[plan].displayName,
      seats,
      created_at: isoOf(stamp, account.createdAt),
    },
  };
}

/** A `page` call for a page of the product. */
export function pageCall(
  messageId: string,
  user: SimUser,
  account: SimAccount,
  page: ProductPage,
  stamp: Stamp,
  at: number,
): Record<string, unknown> {
  return {
    ...common('page', messageId, user, account, stamp, at, page),
    name: page.name,
    category: page.category,
    properties: { path: page.path, title: `${page.name} · Sluice Sim`, url: `${APP_HOST}${page.path}` },
  };
}

/** A `track` call: one action of the user, named as product analytics names them ("Report Exported"). */
export function trackCall(
  messageId: string,
  user: SimUser,
  account: SimAccount,
  event: string,
  properties: Record<string, unknown>,
  stamp: Stamp,
  at: number,
): Record<string, unknown> {
  return { ...common('track', messageId, user, account, stamp, at), event, properties };
}

const REPORT_TYPES = ['funnel', 'retention', 'revenue', 'cohort', 'table'] as const;

/** The track events of the product, with how often each one is done and the properties it carries. */
export const TRACK_EVENTS: readonly (readonly [
  name: string,
  weight: number,
  props: (rng: Rng) => Record<string, unknown>,
])[] = [
  [
    'Report Viewed',
    30,
    (rng) => ({ report_id: `rpt_${rng.base62(8)}`, report_type: rng.pick(REPORT_TYPES) }),
  ],
  ['Search Performed', 18, (rng) => ({ query_length: rng.int(3, 40), results: rng.int(0, 120) })],
  [
    'Report Created',
    12,
    (rng) => ({
      report_id: `rpt_${rng.base62(8)}`,
      report_type: rng.pick(REPORT_TYPES),
      template: rng.chance(0.6),
    }),
  ],
  [
    'Report Exported',
    8,
    (rng) => ({
      report_id: `rpt_${rng.base62(8)}`,
      format: rng.pick(['csv', 'xlsx', 'pdf']),
      rows: rng.int(10, 50_000),
    }),
  ],
  [
    'Dashboard Shared',
    6,
    (rng) => ({ dashboard_id: `dsh_${rng.base62(8)}`, channel: rng.pick(['link', 'email', 'slack']) }),
  ],
  [
    'Alert Created',
    4,
    (rng) => ({
      alert_id: `alr_${rng.base62(8)}`,
      metric: rng.pick(['revenue', 'signups', 'latency', 'errors']),
      channel: rng.pick(['email', 'slack']),
    }),
  ],
  ['Comment Added', 10, (rng) => ({ report_id: `rpt_${rng.base62(8)}`, length: rng.int(5, 400) })],
  [
    'Integration Connected',
    1,
    (rng) => ({ integration: rng.pick(['salesforce', 'slack', 'snowflake', 'hubspot', 'bigquery']) }),
  ],
];

/** The pages of the product and how often each one is opened. */
export const PRODUCT_PAGES: readonly (readonly [ProductPage, number])[] = [
  [{ name: 'Dashboard', category: 'Home', path: '/dashboard' }, 30],
  [{ name: 'Reports', category: 'Reports', path: '/reports' }, 25],
  [{ name: 'Report', category: 'Reports', path: '/reports/view' }, 20],
  [{ name: 'Alerts', category: 'Monitoring', path: '/alerts' }, 8],
  [{ name: 'Integrations', category: 'Settings', path: '/settings/integrations' }, 5],
  [{ name: 'Team', category: 'Settings', path: '/settings/team' }, 5],
  [{ name: 'Billing', category: 'Settings', path: '/settings/billing' }, 3],
  [{ name: 'Help', category: 'Support', path: '/help' }, 4],
];
