import {
  parseJsonAnswer,
  requestVendor,
  type VendorAnswer,
  type VendorClient,
  type VendorErrorText,
  type VendorRequest,
} from '../../../core/pull/http-json.js';
import type { PullContext } from '../../../core/pull/pull-connector.js';
import { VendorBudget, VendorBudgetExhausted, type VendorUsage } from '../../../core/pull/vendor-budget.js';
import { VendorError } from '../../../core/pull/vendor-error.js';
import type { Http, HttpResponse, Secrets } from '../../../core/ports.js';

/** Secret holding the connected app's consumer key (OAuth client credentials flow). */
export const SALESFORCE_CLIENT_ID_SECRET = 'SLUICE_SALESFORCE_CLIENT_ID';
/** Secret holding the connected app's consumer secret. */
export const SALESFORCE_CLIENT_SECRET_SECRET = 'SLUICE_SALESFORCE_CLIENT_SECRET';
/** Secret holding the org's My Domain URL (`https://acme.my.salesforce.com`), where tokens are issued. */
export const SALESFORCE_LOGIN_URL_SECRET = 'SLUICE_SALESFORCE_LOGIN_URL';
/** Where tokens are asked for when no My Domain URL is set. */
export const SALESFORCE_LOGIN_URL = 'https://login.salesforce.com';
/** The REST API version the connector speaks. */
export const SALESFORCE_API_VERSION = 'v62.0';
/** Default share of the org's daily API quota the pull connector may use. */
export const SALESFORCE_DEFAULT_QUOTA_SHARE = 0.5;

/** Reads `Sforce-Limit-Info: api-usage=18/15000`, Salesforce's report of the org's daily API usage. */
export function salesforceUsage(headers: HttpResponse['headers']): VendorUsage | undefined {
  const match = /api-usage=(\d+)\/(\d+)/.exec(headers.get('sforce-limit-info') ?? '');
  return match ? { used: Number(match[1]), limit: Number(match[2]) } : undefined;
}

/**
 * Reads Salesforce's error bodies: REST and Bulk API 2.0 answer `[{ errorCode, message }]`, the OAuth
 * endpoint `{ error, error_description }`.
 */
export function salesforceErrorText(body: unknown, status: number): VendorErrorText {
  const first = Array.isArray(body)
    ? (body[0] as { errorCode?: unknown; message?: unknown } | undefined)
    : undefined;
  if (first && typeof first.message === 'string')
    return typeof first.errorCode === 'string'
      ? { code: first.errorCode, message: first.message }
      : { message: first.message };
  const oauth = body as { error?: unknown; error_description?: unknown } | null;
  if (oauth && typeof oauth.error === 'string')
    return {
      code: oauth.error,
      message: typeof oauth.error_description === 'string' ? oauth.error_description : oauth.error,
    };
  return { message: typeof body === 'string' && body !== '' ? body.slice(0, 200) : `HTTP ${status}` };
}

/** What the Salesforce connector needs to reach an org. */
export interface SalesforceAccess {
  readonly http: Http;
  readonly secrets: Secrets;
  /** Login origin instead of `SLUICE_SALESFORCE_LOGIN_URL` (a fake on loopback in tests). */
  readonly loginBase?: string;
  readonly apiVersion: string;
  /** Share (0–1] of the org's daily API quota the connector may use. */
  readonly quotaShare: number;
}

interface Token {
  readonly accessToken: string;
  readonly instanceUrl: string;
}

/**
 * A session with one Salesforce org: an OAuth 2.0 client-credentials token (fetched on first use, fetched
 * again once when Salesforce answers 401 `INVALID_SESSION_ID`), and every call admitted by and counted in
 * the org's shared {@link VendorBudget}, which reads `Sforce-Limit-Info` and stops before the configured
 * share of the daily quota. A 403 `REQUEST_LIMIT_EXCEEDED` (the quota is gone) stops the run the same way.
 */
export class SalesforceSession {
  private token: Token | undefined;

  constructor(
    private readonly access: SalesforceAccess,
    private readonly context: PullContext,
  ) {}

  /** The REST data path of this API version (`/services/data/v62.0`). */
  get dataPath(): string {
    return `/services/data/${this.access.apiVersion}`;
  }

  /** GETs JSON from a path of the org's instance (`/services/data/…`). */
  async getJson(path: string): Promise<unknown> {
    return parseJsonAnswer({ vendor: 'salesforce' }, await this.request(path));
  }

  /** Sends a request to a path of the org's instance and returns the 2xx answer as text. */
  async request(path: string, request: VendorRequest = {}): Promise<VendorAnswer<string>> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.currentToken();
      const client = this.client(token);
      try {
        return await requestVendor(client, `${token.instanceUrl}${path}`, request);
      } catch (error) {
        if (!(error instanceof VendorError)) throw error;
        if (error.status === 401 && attempt === 1) {
          this.context.log.info('Salesforce session expired; asking for a new token', {
            code: error.vendorCode,
          });
          this.token = undefined;
          continue;
        }
        if (error.status === 403 && error.vendorCode === 'REQUEST_LIMIT_EXCEEDED')
          throw new VendorBudgetExhausted('salesforce', error.message);
        throw error;
      }
    }
  }

  private client(token: Token): VendorClient {
    return {
      vendor: 'salesforce',
      http: this.access.http,
      clock: this.context.clock,
      log: this.context.log,
      metrics: this.context.metrics,
      headers: { Authorization: `Bearer ${token.accessToken}`, Accept: 'application/json' },
      errorText: salesforceErrorText,
      budget: new VendorBudget(this.context.objects, this.context.clock, this.context.metrics, {
        vendor: 'salesforce',
        account: new URL(token.instanceUrl).host,
        share: this.access.quotaShare,
        usageOf: salesforceUsage,
      }),
    };
  }

  private async currentToken(): Promise<Token> {
    if (this.token) return this.token;
    const read = async (name: string): Promise<string> => {
      const value = (await this.access.secrets.get(name))?.trim();
      if (!value) throw new Error(`secret ${name} is not set`);
      return value;
    };
    const login =
      this.access.loginBase ??
      (await this.access.secrets.get(SALESFORCE_LOGIN_URL_SECRET))?.trim() ??
      SALESFORCE_LOGIN_URL;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: await read(SALESFORCE_CLIENT_ID_SECRET),
      client_secret: await read(SALESFORCE_CLIENT_SECRET_SECRET),
    });
    const answer = await requestVendor(
      {
        vendor: 'salesforce',
        http: this.access.http,
        clock: this.context.clock,
        log: this.context.log,
        metrics: this.context.metrics,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        errorText: salesforceErrorText,
      },
      `${login.replace(/\/+$/, '')}/services/oauth2/token`,
      { method: 'POST', body: form.toString() },
    );
    const body = parseJsonAnswer({ vendor: 'salesforce' }, answer) as {
      access_token?: unknown;
      instance_url?: unknown;
    };
    if (typeof body.access_token !== 'string' || typeof body.instance_url !== 'string')
      throw new VendorError(
        'salesforce',
        answer.status,
        'malformed_token',
        'the token answer has no access_token',
      );
    this.token = { accessToken: body.access_token, instanceUrl: body.instance_url.replace(/\/+$/, '') };
    return this.token;
  }
}
