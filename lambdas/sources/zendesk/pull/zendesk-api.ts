import { getJson, type VendorClient, type VendorErrorText } from '../../../core/pull/http-json.js';
import { VendorError } from '../../../core/pull/vendor-error.js';
import type { Secrets } from '../../../core/ports.js';

/** Secret naming the Zendesk account (`acme` for `acme.zendesk.com`). */
export const ZENDESK_SUBDOMAIN_SECRET = 'SLUICE_ZENDESK_SUBDOMAIN';
/** Secret holding the agent email the API token belongs to. */
export const ZENDESK_EMAIL_SECRET = 'SLUICE_ZENDESK_EMAIL';
/** Secret holding the Zendesk API token. */
export const ZENDESK_API_TOKEN_SECRET = 'SLUICE_ZENDESK_API_TOKEN';

/** Reads Zendesk's error bodies: `{ error: "…" }`, `{ error, description }` or `{ error: { title, message } }`. */
export function zendeskErrorText(body: unknown, status: number): VendorErrorText {
  const b = body as { error?: unknown; description?: unknown } | null;
  const error = b?.error;
  if (error && typeof error === 'object') {
    const e = error as { title?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : `HTTP ${status}`;
    return typeof e.title === 'string' ? { code: e.title, message } : { message };
  }
  if (typeof error === 'string')
    return typeof b?.description === 'string' ? { code: error, message: b.description } : { message: error };
  return { message: `HTTP ${status}` };
}

/** The account's API origin and its Basic credentials (`<email>/token:<token>`), from the secrets. */
export async function zendeskAccess(
  secrets: Secrets,
  apiBase: string | undefined,
): Promise<{ readonly base: string; readonly authorization: string }> {
  const read = async (name: string): Promise<string> => {
    const value = (await secrets.get(name))?.trim();
    if (!value) throw new Error(`secret ${name} is not set`);
    return value;
  };
  const base = apiBase ?? `https://${await read(ZENDESK_SUBDOMAIN_SECRET)}.zendesk.com`;
  const credentials = `${await read(ZENDESK_EMAIL_SECRET)}/token:${await read(ZENDESK_API_TOKEN_SECRET)}`;
  return { base, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** GETs one Zendesk page and checks that it holds the expected list of records with ids. */
export async function getZendeskPage(
  client: Omit<VendorClient, 'errorText'>,
  url: string,
  key: string,
): Promise<{ readonly body: Record<string, unknown>; readonly records: readonly Record<string, unknown>[] }> {
  const body = (await getJson({ ...client, errorText: zendeskErrorText }, url)) as Record<
    string,
    unknown
  > | null;
  const records = body?.[key];
  if (
    !body ||
    !Array.isArray(records) ||
    records.some((r) => !r || typeof r !== 'object' || (r as { id?: unknown }).id === undefined)
  )
    throw new VendorError(
      'zendesk',
      200,
      'malformed_page',
      `the page has no "${key}" list of records with ids`,
    );
  return { body, records: records as Record<string, unknown>[] };
}
