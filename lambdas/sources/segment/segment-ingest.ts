import { isQuarantined, type Envelope, type QuarantinedEnvelope } from '../../core/envelope.js';
import { RejectedError } from '../../core/errors.js';
import { jsonResponse } from '../../core/ingest/http-types.js';
import type { SourceAccepted, SourceIngest } from '../../core/ingest/source-ingest.js';
import { batchCalls, readSegmentBody } from './segment-body.js';
import { routeKind } from './segment-calls.js';
import { batchDefaults, NO_DEFAULTS, segmentEnvelope, type ReceiveStamp } from './segment-envelope.js';
import { basicAuthUser, hasWriteKeys, isWriteKey, WRITE_KEY_SECRET } from './write-key.js';

/** Segment's answer to an accepted request; its SDKs only look at the status. */
const SUCCESS = jsonResponse(200, { success: true });

function badWriteKey(): RejectedError {
  return new RejectedError(
    401,
    'bad_write_key',
    'the write key is not one of the keys in SLUICE_SEGMENT_WRITE_KEY',
  );
}

/** The write key from the body (`writeKey`), checked; used when the request has no Basic credentials. */
function checkBodyWriteKey(document: Readonly<Record<string, unknown>>, secret: string): void {
  const key = document['writeKey'];
  if (key === undefined || key === null || key === '') {
    throw new RejectedError(
      401,
      'missing_write_key',
      'send the write key as HTTP Basic user name (empty password) or as "writeKey" in the body',
    );
  }
  if (typeof key !== 'string' || !isWriteKey(key, secret)) throw badWriteKey();
}

/**
 * The Segment HTTP Tracking API (`/v1/batch|track|identify|page|screen|group|alias`), compatible enough that
 * Segment's and RudderStack's SDKs work by pointing their host at Sluice.
 *
 * Order of checks: the write key secret must be set (else 401 `no_secret`); Basic credentials, when sent, are
 * checked before the body is even parsed; the body is decoded, size-checked and parsed once; a body `writeKey`
 * is checked when there were no Basic credentials; then each call becomes one envelope. Calls that fail their
 * schema are returned quarantined and the rest of the batch is accepted; the answer is Segment's
 * `200 {"success":true}` once the router has queued them.
 */
export const ingestSegment: SourceIngest = async (request, { ports }): Promise<SourceAccepted> => {
  const kind = routeKind(request.path);
  if (kind === undefined) throw new RejectedError(404, 'not_found', `${request.path} is not a Segment route`);
  const secret = await ports.secrets.get(WRITE_KEY_SECRET);
  if (secret === undefined || !hasWriteKeys(secret)) {
    throw new RejectedError(
      401,
      'no_secret',
      `the Segment routes are not configured: set ${WRITE_KEY_SECRET} to the accepted write key(s)`,
    );
  }
  const headerKey = basicAuthUser(request.headers['authorization']);
  if (headerKey !== undefined && !isWriteKey(headerKey, secret)) throw badWriteKey();

  const body = readSegmentBody(request, kind === 'batch');
  const { document } = body;
  if (headerKey === undefined) checkBodyWriteKey(document, secret);

  const now = ports.clock.now();
  const stamp: ReceiveStamp = { iso: now.toISOString(), ms: now.getTime() };
  const envelopes: Envelope[] = [];
  const quarantined: QuarantinedEnvelope[] = [];
  const keep = (envelope: Envelope | QuarantinedEnvelope): void => {
    if (isQuarantined(envelope)) quarantined.push(envelope);
    else envelopes.push(envelope);
  };
  if (kind === 'batch') {
    const calls = batchCalls(body);
    const defaults = batchDefaults(document);
    for (let index = 0; index < calls.length; index += 1)
      keep(segmentEnvelope(calls[index], undefined, index, defaults, stamp));
  } else {
    keep(segmentEnvelope(document, kind, -1, NO_DEFAULTS, stamp));
  }
  return { envelopes, quarantined, response: SUCCESS };
};
