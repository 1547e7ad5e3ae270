import type { PullConnector } from '../../../core/pull/pull-connector.js';
import type { Http, Secrets } from '../../../core/ports.js';
import { STRIPE_SOURCE } from '../stripe-envelope.js';
import { STRIPE_API_BASE, STRIPE_API_KEY_SECRET } from './stripe-api.js';
import { STRIPE_STREAMS } from './stripe-streams.js';
import { stripeStream } from './stripe-stream.js';

/** Settings of {@link stripeConnector}. */
export interface StripeConnectorOptions {
  readonly http: Http;
  readonly secrets: Secrets;
  /** API origin (default Stripe's; tests point it at a loopback fake). */
  readonly apiBase?: string;
  /** Objects per page (default 100, Stripe's maximum). */
  readonly pageSize?: number;
  /** Where a first sync starts (default: all history). */
  readonly since?: Date;
}

/**
 * The Stripe pull connector: customers, subscriptions, invoices, charges, products and prices, landing in
 * `raw.stripe` beside the webhook events, read with the secret key in `SLUICE_STRIPE_API_KEY`.
 */
export function stripeConnector(options: StripeConnectorOptions): PullConnector {
  const apiKey = async (): Promise<string> => {
    const key = await options.secrets.get(STRIPE_API_KEY_SECRET);
    if (!key) throw new Error(`secret ${STRIPE_API_KEY_SECRET} is not set`);
    return key.trim();
  };
  const streamOptions = {
    http: options.http,
    apiKey,
    apiBase: options.apiBase ?? STRIPE_API_BASE,
    pageSize: options.pageSize ?? 100,
  };
  return {
    source: STRIPE_SOURCE,
    defaultSince: options.since ?? new Date(0),
    streams: STRIPE_STREAMS.map((spec) => stripeStream(spec, streamOptions)),
  };
}
