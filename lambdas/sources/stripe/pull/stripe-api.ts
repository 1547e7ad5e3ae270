import { getJson, type VendorClient, type VendorErrorText } from '../../../core/pull/http-json.js';
import { VendorError } from '../../../core/pull/vendor-error.js';

/** Stripe's live API. */
export const STRIPE_API_BASE = 'https://api.stripe.com';

/** The secret holding the Stripe secret key (`sk_…` or a restricted `rk_…`) the connector reads with. */
export const STRIPE_API_KEY_SECRET = 'SLUICE_STRIPE_API_KEY';

/** One page of a Stripe list (`{ object: 'list', data, has_more, url }`). */
export interface StripeList {
  readonly data: readonly Record<string, unknown>[];
  readonly has_more: boolean;
}

/** Reads Stripe's error body `{ error: { type, code, message } }`. */
export function stripeErrorText(body: unknown, status: number): VendorErrorText {
  const error = (body as { error?: { code?: unknown; type?: unknown; message?: unknown } } | null)?.error;
  const code =
    typeof error?.code === 'string' ? error.code : typeof error?.type === 'string' ? error.type : undefined;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  return code === undefined ? { message } : { code, message };
}

/**
 * GETs one page of a Stripe list endpoint (`/v1/customers`, `/v1/events`…) with the given query, checking
 * that the answer is a list object so that a malformed page fails the run before its cursor moves.
 */
export async function listStripe(
  client: Omit<VendorClient, 'errorText'>,
  base: string,
  path: string,
  query: Readonly<Record<string, string>>,
): Promise<StripeList> {
  const url = `${base}${path}?${new URLSearchParams(query).toString()}`;
  const body = (await getJson({ ...client, errorText: stripeErrorText }, url)) as Partial<StripeList> | null;
  if (
    !body ||
    !Array.isArray(body.data) ||
    typeof body.has_more !== 'boolean' ||
    body.data.some(
      (item) => !item || typeof item !== 'object' || typeof (item as { id?: unknown }).id !== 'string',
    )
  )
    throw new VendorError(
      'stripe',
      200,
      'malformed_page',
      `${path} did not answer a list of objects with ids`,
    );
  return body as StripeList;
}
