import type { Envelope, QuarantinedEnvelope } from '../envelope.js';

/**
 * What a pull stream does when its records change shape:
 * - `allow` (default): the payload is kept whole, whatever changed (raw tables hold JSON, so nothing breaks);
 * - `allow_columns`: new top-level fields are fine, but a field whose type changes is quarantined, because
 *   models that cast it would break or silently turn it into nulls;
 * - `block`: a record with a field the stream has not had before (or a changed type) is quarantined, for
 *   streams whose downstream contract must not move without review.
 */
export type DriftPolicy = 'allow' | 'allow_columns' | 'block';

/** The drift policies, for validation and help texts. */
export const DRIFT_POLICIES: readonly DriftPolicy[] = ['allow', 'allow_columns', 'block'];

/** JSON type of a top-level field. */
export type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array';

/** The known shape of a stream's records: top-level field name to JSON type (a field only ever null has none). */
export type StreamFields = Readonly<Record<string, FieldType | null>>;

/** What checking one page against its stream's shape gave. */
export interface DriftOutcome {
  /** The page's envelopes, those that drifted against the policy turned into quarantined envelopes. */
  readonly envelopes: readonly (Envelope | QuarantinedEnvelope)[];
  /** The stream's shape after this page (fields and types of the records that were accepted). */
  readonly fields: StreamFields;
  /** Whether `fields` differs from the shape before the page (so it must be stored). */
  readonly changed: boolean;
}

/** The JSON type of a value, `null` for null (compatible with every type: a nullable field). */
export function fieldTypeOf(value: unknown): FieldType | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  if (type === 'bigint') return 'number';
  return 'object';
}

/**
 * Checks a page's records against the stream's known fields under `policy`. `known` undefined means the
 * stream has no shape yet: its first landed page defines it, whatever the policy. Fields of accepted records
 * join the shape (under `block`, only records with no unknown field are accepted, so the shape never grows
 * by itself); a quarantined record's reason names the field and the change. Records whose payload is not an
 * object (and deletes, which carry what the vendor had) are never quarantined for drift.
 */
export function checkDrift(
  envelopes: readonly Envelope[],
  policy: DriftPolicy,
  known: StreamFields | undefined,
): DriftOutcome {
  const fields: Record<string, FieldType | null> = { ...known };
  let changed = known === undefined;
  const out: (Envelope | QuarantinedEnvelope)[] = [];
  for (const envelope of envelopes) {
    const payload = envelope.payload;
    if (
      !payload ||
      typeof payload !== 'object' ||
      Array.isArray(payload) ||
      envelope.event_type.endsWith('.deleted')
    ) {
      out.push(envelope);
      continue;
    }
    const entries = Object.entries(payload as Record<string, unknown>);
    const reason =
      known === undefined || policy === 'allow' ? undefined : driftReason(entries, fields, policy);
    if (reason !== undefined) {
      out.push({ ...envelope, quarantine_reason: reason });
      continue;
    }
    for (const [name, value] of entries) {
      const type = fieldTypeOf(value);
      if (!(name in fields) || (fields[name] === null && type !== null)) {
        fields[name] = type;
        changed = true;
      }
    }
    out.push(envelope);
  }
  return { envelopes: out, fields, changed };
}

function driftReason(
  entries: readonly [string, unknown][],
  fields: Readonly<Record<string, FieldType | null>>,
  policy: 'allow_columns' | 'block',
): string | undefined {
  for (const [name, value] of entries) {
    const type = fieldTypeOf(value);
    if (!(name in fields)) {
      if (policy === 'block') return `schema drift (block): new field "${name}" (${type ?? 'null'})`;
      continue;
    }
    const was = fields[name];
    if (type !== null && was !== null && was !== undefined && type !== was)
      return `schema drift (${policy}): field "${name}" changed type from ${was} to ${type}`;
  }
  return undefined;
}
