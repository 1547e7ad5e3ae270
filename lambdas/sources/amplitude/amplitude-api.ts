import { gunzipSync, unzipSync } from 'fflate';
import { requestVendorBytes, type VendorErrorText } from '../../core/pull/http-json.js';
import type { PullContext } from '../../core/pull/pull-connector.js';
import { credentialAccount, VendorBudget } from '../../core/pull/vendor-budget.js';
import { VendorError } from '../../core/pull/vendor-error.js';
import type { Http, Secrets } from '../../core/ports.js';

/** Amplitude's US data center (the EU one is `https://analytics.eu.amplitude.com`). */
export const AMPLITUDE_API_BASE = 'https://amplitude.com';
/** Secret holding the project's API key. */
export const AMPLITUDE_API_KEY_SECRET = 'SLUICE_AMPLITUDE_API_KEY';
/** Secret holding the project's secret key. */
export const AMPLITUDE_SECRET_KEY_SECRET = 'SLUICE_AMPLITUDE_SECRET_KEY';

/** Amplitude answers errors as plain text (or sometimes `{ error }` JSON). */
export function amplitudeErrorText(body: unknown, status: number): VendorErrorText {
  if (typeof body === 'string' && body.trim() !== '') return { message: body.trim().slice(0, 300) };
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return { message: error };
  return { message: `HTTP ${status}` };
}

/** What an export call needs. */
export interface AmplitudeAccess {
  readonly http: Http;
  readonly secrets: Secrets;
  readonly apiBase: string;
}

/** An hour in the Export API's `YYYYMMDDTHH` form (UTC). */
export function exportHour(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}`;
}

/**
 * Exports the events uploaded in the hours `[first, last]` (Export API `GET /api/2/export?start&end`, HTTP
 * Basic with the API key and secret key): the answer is a zip archive of gzipped NDJSON files, one or more
 * per hour, read here with fflate. A 404 (no data in the range) is an empty export. Every call is counted in
 * the project's shared budget, which waits out a 429's `Retry-After`.
 */
export async function exportEvents(
  access: AmplitudeAccess,
  context: PullContext,
  first: Date,
  last: Date,
): Promise<Record<string, unknown>[]> {
  const read = async (name: string): Promise<string> => {
    const value = (await access.secrets.get(name))?.trim();
    if (!value) throw new Error(`secret ${name} is not set`);
    return value;
  };
  const apiKey = await read(AMPLITUDE_API_KEY_SECRET);
  const secretKey = await read(AMPLITUDE_SECRET_KEY_SECRET);
  const query = new URLSearchParams({ start: exportHour(first), end: exportHour(last) });
  let archive: Uint8Array;
  try {
    const answer = await requestVendorBytes(
      {
        vendor: 'amplitude',
        http: access.http,
        clock: context.clock,
        log: context.log,
        metrics: context.metrics,
        headers: { Authorization: `Basic ${Buffer.from(`${apiKey}:${secretKey}`).toString('base64')}` },
        errorText: amplitudeErrorText,
        budget: new VendorBudget(context.objects, context.clock, context.metrics, {
          vendor: 'amplitude',
          // The project, named by a digest of its API key (never the key itself).
          account: credentialAccount(apiKey),
        }),
      },
      `${access.apiBase.replace(/\/+$/, '')}/api/2/export?${query.toString()}`,
    );
    archive = answer.body;
  } catch (error) {
    if (error instanceof VendorError && error.status === 404) return [];
    throw error;
  }
  return eventsOfArchive(archive);
}

/** The events of an export archive: every `.json.gz` member, gunzipped, one JSON event per line. */
export function eventsOfArchive(archive: Uint8Array): Record<string, unknown>[] {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(archive);
  } catch (error) {
    throw new VendorError(
      'amplitude',
      200,
      'malformed_page',
      `the export is not a zip archive: ${(error as Error).message}`,
    );
  }
  const events: Record<string, unknown>[] = [];
  for (const name of Object.keys(members).sort()) {
    if (!name.endsWith('.json.gz')) continue;
    let text: string;
    try {
      text = Buffer.from(gunzipSync(members[name]!)).toString('utf8');
    } catch (error) {
      throw new VendorError(
        'amplitude',
        200,
        'malformed_page',
        `${name} is not gzip: ${(error as Error).message}`,
      );
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch {
        throw new VendorError('amplitude', 200, 'malformed_page', `${name} has a line that is not JSON`);
      }
      if (event && typeof event === 'object' && !Array.isArray(event))
        events.push(event as Record<string, unknown>);
    }
  }
  return events;
}
