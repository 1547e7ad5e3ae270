/** How one Stripe object kind is read: its list endpoint and the events that change it. */
export interface StripeStreamSpec {
  /** Stream name (`customers`). */
  readonly name: string;
  /** The object's `object` value and envelope kind (`customer`). */
  readonly kind: string;
  /** List endpoint (`/v1/customers`). */
  readonly path: string;
  /** Extra list parameters (`status=all`, without which canceled subscriptions are not listed). */
  readonly listQuery: Readonly<Record<string, string>>;
  /** `/v1/events` `type` filter (`customer.*`); events whose object is another kind are skipped. */
  readonly eventType: string;
  /** Whether `<kind>.deleted` means the object is gone (a deleted subscription is only canceled). */
  readonly deletes: boolean;
}

/** The Stripe objects Sluice pulls: the billing core a Product Ops or Support Ops team joins to. */
export const STRIPE_STREAMS: readonly StripeStreamSpec[] = [
  {
    name: 'customers',
    kind: 'customer',
    path: '/v1/customers',
    listQuery: {},
    eventType: 'customer.*',
    deletes: true,
  },
  {
    name: 'subscriptions',
    kind: 'subscription',
    path: '/v1/subscriptions',
    listQuery: { status: 'all' },
    eventType: 'customer.subscription.*',
    deletes: false,
  },
  {
    name: 'invoices',
    kind: 'invoice',
    path: '/v1/invoices',
    listQuery: {},
    eventType: 'invoice.*',
    deletes: true,
  },
  {
    name: 'charges',
    kind: 'charge',
    path: '/v1/charges',
    listQuery: {},
    eventType: 'charge.*',
    deletes: false,
  },
  {
    name: 'products',
    kind: 'product',
    path: '/v1/products',
    listQuery: {},
    eventType: 'product.*',
    deletes: true,
  },
  { name: 'prices', kind: 'price', path: '/v1/prices', listQuery: {}, eventType: 'price.*', deletes: true },
];
