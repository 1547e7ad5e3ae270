import type { Envelope } from '../envelope.js';

/**
 * The body of one queue message: either envelopes inline, or a pointer to an object holding them when they
 * do not fit the queue's message size limit (SQS: 256 KiB).
 */
export type QueueBody =
  { readonly v: 1; readonly envelopes: readonly Envelope[] } | { readonly v: 1; readonly pointer: string };

/** Default message size limit: SQS's 256 KiB, less headroom for attributes. */
export const DEFAULT_MAX_MESSAGE_BYTES = 250 * 1024;

/** Result of {@link packEnvelopes}: bodies that fit, and envelopes too large to travel inline. */
export interface PackedEnvelopes {
  readonly bodies: string[];
  readonly oversize: Envelope[];
}

/**
 * Packs envelopes into as few queue messages as fit under `maxBytes` each, in order. An envelope that cannot
 * fit a message on its own is returned in `oversize`, for the caller to store and send as a pointer.
 */
export function packEnvelopes(
  envelopes: readonly Envelope[],
  maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
): PackedEnvelopes {
  const bodies: string[] = [];
  const oversize: Envelope[] = [];
  const frame = '{"v":1,"envelopes":[]}'.length;
  let current: string[] = [];
  let size = frame;
  const close = (): void => {
    if (current.length > 0) bodies.push(`{"v":1,"envelopes":[${current.join(',')}]}`);
    current = [];
    size = frame;
  };
  for (const envelope of envelopes) {
    const json = JSON.stringify(envelope);
    const bytes = Buffer.byteLength(json);
    if (bytes + frame > maxBytes) {
      oversize.push(envelope);
      continue;
    }
    if (size + bytes + 1 > maxBytes) close();
    current.push(json);
    size += bytes + 1;
  }
  close();
  return { bodies, oversize };
}

/** Builds the body of a pointer message. */
export function pointerBody(key: string): string {
  return JSON.stringify({ v: 1, pointer: key } satisfies QueueBody);
}

/** Parses a queue message body; throws with a reason when it is not a Sluice message. */
export function parseQueueBody(body: string): QueueBody {
  const parsed = JSON.parse(body) as Partial<{ v: number; envelopes: unknown; pointer: unknown }>;
  if (parsed.v !== 1) throw new Error('unknown message version');
  if (typeof parsed.pointer === 'string') return { v: 1, pointer: parsed.pointer };
  if (Array.isArray(parsed.envelopes)) return { v: 1, envelopes: parsed.envelopes as Envelope[] };
  throw new Error('message holds neither envelopes nor a pointer');
}
