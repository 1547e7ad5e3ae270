import { createSchemaRegistry } from '../../core/ingest/schema-registry.js';
import alias from '../../../schemas/segment/alias.json' with { type: 'json' };
import group from '../../../schemas/segment/group.json' with { type: 'json' };
import identify from '../../../schemas/segment/identify.json' with { type: 'json' };
import page from '../../../schemas/segment/page.json' with { type: 'json' };
import screen from '../../../schemas/segment/screen.json' with { type: 'json' };
import track from '../../../schemas/segment/track.json' with { type: 'json' };
import { CALL_TYPES, type CallType } from './segment-calls.js';

/** The `$id` of a call type's schema (`https://sluice.dev/schemas/segment/track/v1.json`). */
export function segmentSchemaId(type: CallType): string {
  return `https://sluice.dev/schemas/segment/${type}/v1.json`;
}

/** The six call schemas, compiled once when this module loads: validating a call then costs microseconds. */
const registry = createSchemaRegistry([identify, track, page, screen, group, alias]);

const SCHEMA_IDS = new Map<string, string>(CALL_TYPES.map((type) => [type, segmentSchemaId(type)]));

/** Call types whose schema asks for a `userId` or an `anonymousId` (every one but `alias`). */
const IDENTIFIED: ReadonlySet<string> = new Set(CALL_TYPES.filter((type) => type !== 'alias'));

const MISSING_USER_ID = "must have required property 'userId'";

/**
 * Checks a call against its type's schema; `undefined` when it conforms, else the reason naming the field.
 * Where the schema wants "a userId or an anonymousId" and has neither, ajv only names the first alternative;
 * the reason then names both, so that whoever reads `ops.quarantine` is not sent after the wrong field.
 */
export function checkCall(type: CallType, call: unknown): string | undefined {
  const reason = registry.check(SCHEMA_IDS.get(type) as string, call);
  if (reason !== undefined && IDENTIFIED.has(type) && reason.endsWith(MISSING_USER_ID)) {
    return `${reason} or 'anonymousId'`;
  }
  return reason;
}
