import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * Longest `messageId` kept as the event id, in UTF-8 bytes: Redshift's `event_id` column is `VARCHAR(512)`
 * and Segment asks for ids under 100 characters; longer ids are replaced by their hash.
 */
export const MAX_MESSAGE_ID_BYTES = 256;

/**
 * Fields left out of the hash of a call without `messageId`: they are stamped per request (`sentAt` changes on
 * every retry, `receivedAt` is ours), or are the credential, so a retried identical call hashes the same.
 */
const VOLATILE_FIELDS: ReadonlySet<string> = new Set(['sentAt', 'receivedAt', 'writeKey']);

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/**
 * The event id of a call: its `messageId`, which Segment dedups on. A `messageId` that is missing, empty or
 * not a string is replaced by `sha256:<hex>` of the call type and the call's canonical JSON (volatile fields
 * left out), so a retried identical request yields the same id and loads once; an over-long one is replaced by
 * the hash of the id itself, so its retries dedup too.
 */
export function eventIdOf(type: string, call: unknown): string {
  const messageId =
    call !== null && typeof call === 'object' ? (call as { messageId?: unknown }).messageId : undefined;
  if (typeof messageId === 'string' && messageId.length > 0) {
    if (messageId.length * 3 <= MAX_MESSAGE_ID_BYTES || Buffer.byteLength(messageId) <= MAX_MESSAGE_ID_BYTES)
      return messageId;
    return sha256(`messageId\n${messageId}`);
  }
  return sha256(`${type}\n${canonicalJson(call, VOLATILE_FIELDS)}`);
}
