import type { ResolvedConfig } from '../config/config-types.js';
import { isSourceName } from '../envelope.js';
import { RejectedError, UnavailableError } from '../errors.js';
import type { Ports } from '../ports.js';
import { errorResponse, jsonResponse, type IngestRequest, type IngestResponse } from './http-types.js';
import { enqueueEnvelopes } from './enqueue.js';
import { acceptGenericWebhook } from './generic-webhook.js';
import { isPullOnlySource } from './pull-only-sources.js';
import { SOURCE_ROUTES } from './source-routes.js';

/** The ports the ingest step uses: it never touches the warehouse. */
export type IngestPorts = Pick<Ports, 'queue' | 'objects' | 'secrets' | 'clock' | 'metrics' | 'log'>;

/** What the ingest step needs besides its ports. */
export interface IngestContext {
  readonly config: ResolvedConfig;
  readonly ports: IngestPorts;
}

const WEBHOOK_ROUTE = /^\/webhooks\/([^/]+)\/?$/;

/** Seconds a sender is asked to wait (`Retry-After`) when its events could not be stored (disk full, read-only). */
export const UNAVAILABLE_RETRY_SECONDS = 30;

/**
 * The ingest step: routes one HTTP request, verifies and validates it, and makes accepted events durable.
 * Answers 2xx only once the events are queued, 4xx with `{error, detail}` for every rejection (counted in
 * `ingest.rejected` by reason), and 503 when the events cannot be kept. It never throws.
 */
export async function handleIngestRequest(
  request: IngestRequest,
  context: IngestContext,
): Promise<IngestResponse> {
  const { metrics, log } = context.ports;
  const route = routeOf(request.path);
  try {
    if (request.path === '/health') {
      if (request.method !== 'GET' && request.method !== 'HEAD') throw methodNotAllowed('GET');
      const depth = await context.ports.queue.depth();
      return jsonResponse(200, { status: 'ok', queue: depth });
    }
    const vendor = SOURCE_ROUTES.find((r) => r.paths.includes(request.path));
    if (vendor) {
      if (request.method !== 'POST') throw methodNotAllowed('POST');
      const accepted = await vendor.ingest(request, context);
      await enqueueEnvelopes([...accepted.envelopes, ...accepted.quarantined], context.ports);
      metrics.record('ingest.accepted', accepted.envelopes.length, 'Count', { source: vendor.source, route });
      if (accepted.quarantined.length > 0) {
        metrics.record('ingest.quarantined', accepted.quarantined.length, 'Count', {
          source: vendor.source,
          route,
        });
      }
      return accepted.response ?? jsonResponse(200, { ok: true });
    }
    const webhook = WEBHOOK_ROUTE.exec(request.path);
    if (webhook?.[1] !== undefined) {
      if (request.method !== 'POST') throw methodNotAllowed('POST');
      const source = decodedSegment(webhook[1]);
      if (source === undefined || !isSourceName(source)) {
        throw new RejectedError(
          400,
          'invalid_source',
          'source names are lower-case letters, digits and _ (starting with a letter)',
        );
      }
      if (isPullOnlySource(source, context.config.sources[source]))
        throw new RejectedError(404, 'not_found', `${source} is a pulled source: it has no webhook route`);
      const accepted = await acceptGenericWebhook(source, request, context);
      metrics.record('ingest.accepted', 1, 'Count', { source, route });
      return jsonResponse(200, { ok: true, event_id: accepted.event_id });
    }
    throw new RejectedError(404, 'not_found', `no route for ${request.method} ${request.path}`);
  } catch (error) {
    if (error instanceof RejectedError) {
      metrics.record('ingest.rejected', 1, 'Count', { route, reason: error.code });
      return errorResponse(error.status, error.code, error.detail);
    }
    if (error instanceof UnavailableError) {
      metrics.record('ingest.unavailable', 1, 'Count', { route });
      log.error('ingest could not keep events', { route, reason: error.message });
      const answer = errorResponse(503, 'unavailable', 'the events could not be stored durably; retry later');
      return { ...answer, headers: { ...answer.headers, 'retry-after': String(UNAVAILABLE_RETRY_SECONDS) } };
    }
    metrics.record('ingest.error', 1, 'Count', { route });
    log.error('ingest failed unexpectedly', { route, reason: (error as Error).message });
    return errorResponse(500, 'internal_error', 'unexpected error; the event was not accepted, retry later');
  }
}

/** A percent-decoded path segment, or `undefined` when its escapes are broken (`%`, `%E0%A4%A`): a 400, not a 500. */
function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Route template of a path, for low-cardinality metric dimensions. */
function routeOf(path: string): string {
  if (path === '/health') return '/health';
  if (SOURCE_ROUTES.some((r) => r.paths.includes(path))) return path;
  if (WEBHOOK_ROUTE.test(path)) return '/webhooks/:source';
  return 'unknown';
}

function methodNotAllowed(allowed: string): RejectedError {
  return new RejectedError(405, 'method_not_allowed', `use ${allowed} on this route`);
}
