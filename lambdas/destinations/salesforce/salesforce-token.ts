import { SluiceError } from '../../core/errors.js';
import type { Clock, Http } from '../../core/ports.js';
import { sendWithRetry, type RetryPolicy } from '../shared/send-with-retry.js';

/** An access token and the org's instance URL, as the OAuth 2.0 token endpoint returns them. */
export interface SalesforceSession {
  readonly accessToken: string;
  readonly instanceUrl: string;
}

/** Connected-app credentials for the OAuth 2.0 client credentials flow. */
export interface SalesforceCredentials {
  /** My Domain or login URL (secret `SLUICE_SALESFORCE_LOGIN_URL`). */
  readonly loginUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Gets a token with the client credentials flow (`POST /services/oauth2/token`,
 * `grant_type=client_credentials`): no user password or refresh token to store, and a new token is simply
 * requested again when the old one expires (a 401 on a data call).
 */
export async function requestSalesforceToken(
  deps: { readonly http: Http; readonly clock: Clock },
  credentials: SalesforceCredentials,
  retry?: RetryPolicy,
): Promise<SalesforceSession> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  const answer = await sendWithRetry(
    deps,
    'Salesforce',
    `${credentials.loginUrl.replace(/\/$/, '')}/services/oauth2/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    },
    retry,
  );
  let body: { access_token?: unknown; instance_url?: unknown; error?: unknown; error_description?: unknown };
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    body = {};
  }
  if (answer.status !== 200 || typeof body.access_token !== 'string' || typeof body.instance_url !== 'string')
    throw new SluiceError(
      'destination_auth',
      `Salesforce refused the client credentials (HTTP ${answer.status}${typeof body.error === 'string' ? `: ${body.error}` : ''})`,
    );
  return { accessToken: body.access_token, instanceUrl: body.instance_url.replace(/\/$/, '') };
}
