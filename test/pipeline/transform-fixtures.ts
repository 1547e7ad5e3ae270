/**
 * A small, hand-made company for the starter models: four accounts across Stripe, Segment, Zendesk and
 * Salesforce, with the expected customer health worked out by hand in transform-starter-models.test.ts.
 * Times are before 2026-11-25T12:00:00Z, the instant the tests run at.
 */
import type { RawEvent } from '../unit/transform/transform-harness.js';

/** When the first batch was loaded. */
export const FIRST_LOAD = '2026-11-25T00:00:00Z';
/** When the second (incremental) batch was loaded. */
export const SECOND_LOAD = '2026-11-25T06:00:00Z';

const epoch = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

function stripe(id: string, type: string, at: string, object: Record<string, unknown>): RawEvent {
  return {
    id,
    type,
    at,
    loadedAt: FIRST_LOAD,
    payload: { id, object: 'event', type, created: epoch(at), data: { object } },
  };
}

function customer(
  id: string,
  email: string,
  name: string,
  created: string,
  metadata: Record<string, string>,
) {
  return { id, object: 'customer', email, name, created: epoch(created), metadata };
}

interface Item {
  readonly unit: number;
  readonly quantity: number;
  readonly interval: 'month' | 'year';
  readonly periodEnd?: string;
}

function subscription(
  id: string,
  customerId: string,
  status: string,
  created: string,
  items: readonly Item[],
  periodEnd?: string,
) {
  return {
    id,
    object: 'subscription',
    customer: customerId,
    status,
    currency: 'usd',
    created: epoch(created),
    cancel_at_period_end: false,
    canceled_at: status === 'canceled' ? epoch(created) : null,
    ...(periodEnd ? { current_period_end: epoch(periodEnd) } : {}),
    items: {
      object: 'list',
      data: items.map((item, i) => ({
        id: `si_${id}_${i}`,
        object: 'subscription_item',
        quantity: item.quantity,
        price: {
          unit_amount: item.unit,
          currency: 'usd',
          recurring: { interval: item.interval, interval_count: 1 },
        },
        ...(item.periodEnd ? { current_period_end: epoch(item.periodEnd) } : {}),
      })),
    },
  };
}

function invoice(
  id: string | undefined,
  customerId: string,
  status: string,
  due: number,
  paid: number,
  at: string,
) {
  return {
    ...(id ? { id } : {}),
    object: 'invoice',
    customer: customerId,
    status,
    currency: 'usd',
    amount_due: due,
    amount_paid: paid,
    created: epoch(at),
  };
}

/** raw.stripe: customers, subscriptions (an upgrade, a cancellation, a past-due annual plan, a trial), invoices. */
export const STRIPE_EVENTS: readonly RawEvent[] = [
  stripe(
    'evt_c1',
    'customer.created',
    '2026-09-01T00:00:00Z',
    customer('cus_1', 'ops@acme.example', 'Acme Corporation', '2026-09-01T00:00:00Z', {
      account_id: 'acc_1',
    }),
  ),
  stripe(
    'evt_c2',
    'customer.created',
    '2026-09-02T00:00:00Z',
    customer('cus_2', 'billing@globex.example', 'Globex Billing', '2026-09-02T00:00:00Z', {}),
  ),
  stripe(
    'evt_c3',
    'customer.created',
    '2026-10-01T00:00:00Z',
    customer('cus_3', 'it@initech.example', 'Initech LLC', '2026-10-01T00:00:00Z', { account_id: 'acc_3' }),
  ),
  stripe(
    'evt_c4',
    'customer.created',
    '2026-10-05T00:00:00Z',
    customer('cus_4', 'jane@mail.example', 'Jane Doe', '2026-10-05T00:00:00Z', {}),
  ),
  stripe(
    'evt_c1u',
    'customer.updated',
    '2026-10-01T00:00:00Z',
    customer('cus_1', 'ops@acme.example', 'Acme Corp', '2026-09-01T00:00:00Z', { account_id: 'acc_1' }),
  ),
  // acc_1: 2 seats at $50/month, upgraded to 3 seats; period ends on the object (older API versions).
  stripe(
    'evt_s1a',
    'customer.subscription.created',
    '2026-09-01T00:00:10Z',
    subscription(
      'sub_1',
      'cus_1',
      'active',
      '2026-09-01T00:00:10Z',
      [{ unit: 5000, quantity: 2, interval: 'month' }],
      '2026-10-01T00:00:00Z',
    ),
  ),
  stripe(
    'evt_s1b',
    'customer.subscription.updated',
    '2026-11-10T00:00:00Z',
    subscription(
      'sub_1',
      'cus_1',
      'active',
      '2026-09-01T00:00:10Z',
      [{ unit: 5000, quantity: 3, interval: 'month' }],
      '2026-12-10T00:00:00Z',
    ),
  ),
  // acc_1: an add-on at $20/month, cancelled; period end on the item (current API versions).
  stripe(
    'evt_s1c',
    'customer.subscription.created',
    '2026-09-15T00:00:00Z',
    subscription('sub_1b', 'cus_1', 'active', '2026-09-15T00:00:00Z', [
      { unit: 2000, quantity: 1, interval: 'month', periodEnd: '2026-10-15T00:00:00Z' },
    ]),
  ),
  stripe(
    'evt_s1d',
    'customer.subscription.deleted',
    '2026-10-15T00:00:00Z',
    subscription('sub_1b', 'cus_1', 'canceled', '2026-09-15T00:00:00Z', [
      { unit: 2000, quantity: 1, interval: 'month', periodEnd: '2026-10-15T00:00:00Z' },
    ]),
  ),
  // acc_2 (matched by e-mail domain): $1,200/year, now past due.
  stripe(
    'evt_s2a',
    'customer.subscription.created',
    '2026-09-02T00:00:10Z',
    subscription('sub_2', 'cus_2', 'active', '2026-09-02T00:00:10Z', [
      { unit: 120000, quantity: 1, interval: 'year', periodEnd: '2027-01-01T00:00:00Z' },
    ]),
  ),
  stripe(
    'evt_s2b',
    'customer.subscription.updated',
    '2026-11-20T00:00:00Z',
    subscription('sub_2', 'cus_2', 'past_due', '2026-09-02T00:00:10Z', [
      { unit: 120000, quantity: 1, interval: 'year', periodEnd: '2027-01-01T00:00:00Z' },
    ]),
  ),
  // acc_3: a $30/month plan in trial.
  stripe(
    'evt_s3a',
    'customer.subscription.created',
    '2026-11-17T00:00:00Z',
    subscription(
      'sub_3',
      'cus_3',
      'trialing',
      '2026-11-17T00:00:00Z',
      [{ unit: 3000, quantity: 1, interval: 'month' }],
      '2026-12-01T00:00:00Z',
    ),
  ),
  stripe(
    'evt_i1',
    'invoice.paid',
    '2026-09-01T00:01:00Z',
    invoice('in_1', 'cus_1', 'paid', 10000, 10000, '2026-09-01T00:01:00Z'),
  ),
  stripe(
    'evt_i2a',
    'invoice.created',
    '2026-11-10T00:00:30Z',
    invoice('in_2', 'cus_1', 'open', 15000, 0, '2026-11-10T00:00:30Z'),
  ),
  stripe(
    'evt_i2b',
    'invoice.paid',
    '2026-11-10T00:05:00Z',
    invoice('in_2', 'cus_1', 'paid', 15000, 15000, '2026-11-10T00:00:30Z'),
  ),
  stripe(
    'evt_i3',
    'invoice.paid',
    '2026-09-02T00:01:00Z',
    invoice('in_3', 'cus_2', 'paid', 120000, 120000, '2026-09-02T00:01:00Z'),
  ),
  stripe(
    'evt_i4',
    'invoice.payment_failed',
    '2026-11-20T00:00:00Z',
    invoice('in_4', 'cus_2', 'open', 120000, 0, '2026-11-20T00:00:00Z'),
  ),
  stripe(
    'evt_i5',
    'invoice.upcoming',
    '2026-11-24T00:00:00Z',
    invoice(undefined, 'cus_1', 'draft', 15000, 0, '2026-11-24T00:00:00Z'),
  ),
];

function segment(
  id: string,
  type: string,
  at: string,
  call: Record<string, unknown>,
  loadedAt = FIRST_LOAD,
): RawEvent {
  return { id, type, at, loadedAt, payload: { type, messageId: id, timestamp: at, ...call } };
}

const track = (
  id: string,
  user: string,
  event: string,
  at: string,
  extra: Record<string, unknown> = {},
  loadedAt = FIRST_LOAD,
) => segment(id, 'track', at, { userId: user, event, properties: {}, ...extra }, loadedAt);

/** raw.segment: users grouped into accounts, their product events, an anonymous visit. */
export const SEGMENT_EVENTS: readonly RawEvent[] = [
  segment('g1', 'group', '2026-09-05T00:00:00Z', {
    userId: 'u1',
    groupId: 'acc_1',
    traits: { name: 'Acme Corp' },
  }),
  segment('g2', 'group', '2026-09-06T00:00:00Z', {
    userId: 'u2',
    groupId: 'acc_1',
    traits: { name: 'Acme Corp' },
  }),
  segment('g3', 'group', '2026-09-07T00:00:00Z', {
    userId: 'u3',
    groupId: 'acc_2',
    traits: { name: 'Globex' },
  }),
  segment('i1', 'identify', '2026-09-05T00:00:00Z', { userId: 'u1', traits: { email: 'u1@acme.example' } }),
  track('t1', 'u1', 'Report Created', '2026-11-20T09:00:00Z'),
  track('t2', 'u1', 'Dashboard Viewed', '2026-11-21T15:00:00Z'),
  track('t3', 'u2', 'Report Created', '2026-11-21T10:00:00Z'),
  track('t4', 'u1', 'Dashboard Viewed', '2026-11-05T10:00:00Z'),
  track('t5', 'u2', 'Dashboard Viewed', '2026-11-06T10:00:00Z'),
  track('t6', 'u3', 'Report Created', '2026-11-01T10:00:00Z'),
  track('t7', 'u3', 'Dashboard Viewed', '2026-11-02T11:00:00Z'),
  track('t8', 'u5', 'Teammate Invited', '2026-11-24T08:00:00Z', { context: { groupId: 'acc_3' } }),
  track('t9', 'u6', 'Dashboard Viewed', '2026-11-24T09:00:00Z', { properties: { account_id: 'acc_3' } }),
  segment('t10', 'track', '2026-11-24T09:30:00Z', {
    anonymousId: 'anon-1',
    event: 'Pricing Viewed',
    properties: {},
  }),
  segment('p1', 'page', '2026-11-15T10:00:00Z', {
    userId: 'u3',
    name: 'Reports',
    properties: { path: '/reports' },
  }),
];

/** The second batch: two more calls for acc_1 on a day that already has acc_3's. */
export const SEGMENT_SECOND_BATCH: readonly RawEvent[] = [
  track(
    't11',
    'u7',
    'Report Created',
    '2026-11-24T10:00:00Z',
    { context: { groupId: 'acc_1' } },
    SECOND_LOAD,
  ),
  track('t12', 'u1', 'Report Created', '2026-11-24T11:00:00Z', {}, SECOND_LOAD),
];

function zendesk(
  id: string,
  type: string,
  at: string,
  detail: Record<string, unknown>,
  event: Record<string, unknown> = {},
): RawEvent {
  return {
    id,
    type: `zen:event-type:${type}`,
    at,
    loadedAt: FIRST_LOAD,
    payload: {
      id,
      type: `zen:event-type:${type}`,
      time: at,
      account_id: 9242270,
      subject: `zen:x:${String(detail['id'])}`,
      detail,
      event,
    },
  };
}

const ticket = (id: string, org: string, status: string, createdAt: string) => ({
  id,
  organization_id: org,
  status,
  priority: 'NORMAL',
  type: 'QUESTION',
  created_at: createdAt,
  requester_id: '555',
});

const comment = (staff: boolean) => ({
  comment: { id: 'c', body: '…', is_public: true, author: { id: '7', is_staff: staff } },
});

/** raw.zendesk: two organizations mapped to accounts, tickets with replies and a solve, a CSAT trigger body. */
export const ZENDESK_EVENTS: readonly RawEvent[] = [
  zendesk('z-o1', 'organization.created', '2026-09-10T00:00:00Z', {
    id: '900',
    name: 'Acme',
    external_id: 'acc_1',
  }),
  zendesk('z-o2', 'organization.created', '2026-10-10T00:00:00Z', {
    id: '901',
    name: 'Initech',
    external_id: 'acc_3',
  }),
  zendesk(
    'z-101a',
    'ticket.created',
    '2026-11-20T10:00:00Z',
    ticket('101', '900', 'NEW', '2026-11-20T10:00:00Z'),
  ),
  zendesk(
    'z-101b',
    'ticket.comment_added',
    '2026-11-20T10:10:00Z',
    ticket('101', '900', 'NEW', '2026-11-20T10:00:00Z'),
    comment(false),
  ),
  zendesk(
    'z-101c',
    'ticket.comment_added',
    '2026-11-20T10:30:00Z',
    ticket('101', '900', 'OPEN', '2026-11-20T10:00:00Z'),
    comment(true),
  ),
  zendesk(
    'z-102a',
    'ticket.created',
    '2026-11-10T08:00:00Z',
    ticket('102', '900', 'NEW', '2026-11-10T08:00:00Z'),
  ),
  zendesk(
    'z-102b',
    'ticket.status_changed',
    '2026-11-10T12:00:00Z',
    ticket('102', '900', 'SOLVED', '2026-11-10T08:00:00Z'),
    { current: 'SOLVED', previous: 'NEW' },
  ),
  zendesk(
    'z-103',
    'ticket.created',
    '2026-11-23T08:00:00Z',
    ticket('103', '901', 'PENDING', '2026-11-23T08:00:00Z'),
  ),
  zendesk(
    'z-104',
    'ticket.created',
    '2026-11-24T08:00:00Z',
    ticket('104', '901', 'NEW', '2026-11-24T08:00:00Z'),
  ),
  zendesk(
    'z-105',
    'ticket.created',
    '2026-11-24T08:00:00Z',
    ticket('105', '999', 'OPEN', '2026-11-24T08:00:00Z'),
  ),
  {
    id: 'sha256:csat-102',
    type: 'ticket.webhook',
    at: '2026-11-11T09:00:00Z',
    loadedAt: FIRST_LOAD,
    payload: { ticket: { id: 102, status: 'solved', satisfaction: 'good' } },
  },
];

function salesforce(
  id: string,
  type: 'Account' | 'Opportunity',
  at: string,
  fields: Record<string, string>,
): RawEvent {
  return {
    id,
    type: `${type.toLowerCase()}.outbound_message`,
    at,
    loadedAt: FIRST_LOAD,
    payload: {
      OrganizationId: '00D5e000000KQ2eEAG',
      NotificationId: id,
      sObjectType: type,
      sObject: { ...fields, LastModifiedDate: at },
    },
  };
}

/** raw.salesforce: two accounts carrying Sluice_Account_Id__c (one with a web site matching a Stripe e-mail). */
export const SALESFORCE_EVENTS: readonly RawEvent[] = [
  salesforce('04l5e00000Gx001AAA', 'Account', '2026-09-01T00:00:00Z', {
    Id: '0015e00000Zk001AAA',
    Name: 'Acme Corp',
    Website: 'https://www.acme.example',
    Sluice_Account_Id__c: 'acc_1',
    Industry: 'Manufacturing',
    AnnualRevenue: '1.25E7',
    NumberOfEmployees: '250',
    IsDeleted: 'false',
  }),
  salesforce('04l5e00000Gx002AAA', 'Account', '2026-09-02T00:00:00Z', {
    Id: '0015e00000Zk002AAA',
    Name: 'Globex',
    Website: 'http://globex.example/about',
    Sluice_Account_Id__c: 'acc_2',
  }),
  salesforce('04l5e00000Hy001AAA', 'Opportunity', '2026-11-01T00:00:00Z', {
    Id: '0065e00000Op001AAA',
    AccountId: '0015e00000Zk001AAA',
    Name: 'Renewal FY27',
    StageName: 'Negotiation/Review',
    Amount: '58800.0',
    CloseDate: '2026-12-31',
    IsClosed: 'false',
    IsWon: 'false',
  }),
];

const secondLoad = (events: readonly RawEvent[]): RawEvent[] =>
  events.map((e) => ({ ...e, loadedAt: SECOND_LOAD }));

/**
 * raw.stripe, second load: another upgrade, a payment that clears a past-due invoice, a customer gaining its
 * account id, a late delivery of an older customer state (it must not win), and a new customer in trial.
 */
export const STRIPE_SECOND_BATCH: readonly RawEvent[] = secondLoad([
  stripe(
    'evt_s1e',
    'customer.subscription.updated',
    '2026-11-24T09:00:00Z',
    subscription(
      'sub_1',
      'cus_1',
      'active',
      '2026-09-01T00:00:10Z',
      [{ unit: 5000, quantity: 4, interval: 'month' }],
      '2026-12-10T00:00:00Z',
    ),
  ),
  stripe(
    'evt_i4b',
    'invoice.paid',
    '2026-11-24T10:00:00Z',
    invoice('in_4', 'cus_2', 'paid', 120000, 120000, '2026-11-20T00:00:00Z'),
  ),
  stripe(
    'evt_c2u',
    'customer.updated',
    '2026-11-24T10:00:00Z',
    customer('cus_2', 'billing@globex.example', 'Globex Billing', '2026-09-02T00:00:00Z', {
      account_id: 'acc_2',
    }),
  ),
  stripe(
    'evt_c3late',
    'customer.updated',
    '2026-09-30T00:00:00Z',
    customer('cus_3', 'it@initech.example', 'Initech (old name)', '2026-10-01T00:00:00Z', {}),
  ),
  stripe(
    'evt_c5',
    'customer.created',
    '2026-11-24T11:00:00Z',
    customer('cus_5', 'team@umbrella.example', 'Umbrella', '2026-11-24T11:00:00Z', { account_id: 'acc_5' }),
  ),
  stripe(
    'evt_s5a',
    'customer.subscription.created',
    '2026-11-24T11:00:05Z',
    subscription(
      'sub_5',
      'cus_5',
      'trialing',
      '2026-11-24T11:00:05Z',
      [{ unit: 3000, quantity: 2, interval: 'month' }],
      '2026-12-08T00:00:00Z',
    ),
  ),
]);

/** raw.segment, second load besides {@link SEGMENT_SECOND_BATCH}: a new user joining acc_2 and a page view. */
export const SEGMENT_THIRD_BATCH: readonly RawEvent[] = secondLoad([
  segment('g8', 'group', '2026-11-24T07:00:00Z', {
    userId: 'u8',
    groupId: 'acc_2',
    traits: { name: 'Globex' },
  }),
  track('t13', 'u8', 'Dashboard Viewed', '2026-11-24T07:30:00Z'),
  segment('p2', 'page', '2026-11-21T16:00:00Z', {
    userId: 'u2',
    name: 'Dashboard',
    properties: { path: '/dashboard' },
  }),
]);

/** raw.zendesk, second load: a ticket solved and rated, a first staff reply, an organization renamed. */
export const ZENDESK_SECOND_BATCH: readonly RawEvent[] = secondLoad([
  zendesk(
    'z-101d',
    'ticket.status_changed',
    '2026-11-24T09:00:00Z',
    ticket('101', '900', 'SOLVED', '2026-11-20T10:00:00Z'),
    { current: 'SOLVED', previous: 'OPEN' },
  ),
  zendesk(
    'z-104b',
    'ticket.comment_added',
    '2026-11-24T09:30:00Z',
    ticket('104', '901', 'OPEN', '2026-11-24T08:00:00Z'),
    comment(true),
  ),
  zendesk('z-o2u', 'organization.updated', '2026-11-24T10:00:00Z', {
    id: '901',
    name: 'Initech Inc',
    external_id: 'acc_3',
  }),
  {
    id: 'sha256:csat-101',
    type: 'ticket.webhook',
    at: '2026-11-24T10:30:00Z',
    payload: { ticket: { id: 101, status: 'solved', satisfaction_rating: { score: 'bad' } } },
  },
]);

/** raw.salesforce, second load: an account edited, a late older edit of another (it must not win), a deal won. */
export const SALESFORCE_SECOND_BATCH: readonly RawEvent[] = secondLoad([
  salesforce('04l5e00000Gx003AAA', 'Account', '2026-11-24T09:00:00Z', {
    Id: '0015e00000Zk002AAA',
    Name: 'Globex Corporation',
    Website: 'http://globex.example/about',
    Sluice_Account_Id__c: 'acc_2',
    Industry: 'Energy',
    IsDeleted: 'false',
  }),
  salesforce('04l5e00000Gx004AAA', 'Account', '2026-08-01T00:00:00Z', {
    Id: '0015e00000Zk001AAA',
    Name: 'Acme (stale)',
    Website: 'https://www.acme.example',
    Sluice_Account_Id__c: 'acc_1',
    IsDeleted: 'false',
  }),
  salesforce('04l5e00000Hy002AAA', 'Opportunity', '2026-11-24T10:00:00Z', {
    Id: '0065e00000Op001AAA',
    AccountId: '0015e00000Zk001AAA',
    Name: 'Renewal FY27',
    StageName: 'Closed Won',
    Amount: '58800.0',
    CloseDate: '2026-11-24',
    IsClosed: 'true',
    IsWon: 'true',
  }),
]);
