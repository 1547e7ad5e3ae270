import { VendorError } from '../../../core/pull/vendor-error.js';
import type { SalesforceSession } from './salesforce-api.js';

/** One queryable field of an sObject and its Salesforce type (`id`, `boolean`, `double`, `datetime`…). */
export interface SalesforceField {
  readonly name: string;
  readonly type: string;
}

/**
 * Compound and binary fields: Bulk API 2.0 cannot query them, and their parts (`BillingCity`…) are fields of
 * their own, so reading them would only duplicate data.
 */
const SKIPPED_TYPES = new Set(['address', 'location', 'base64']);

/** Reads an sObject's fields from its describe (`/sobjects/<Object>/describe`), skipping compound ones. */
export async function describeFields(session: SalesforceSession, object: string): Promise<SalesforceField[]> {
  const body = (await session.getJson(`${session.dataPath}/sobjects/${object}/describe`)) as {
    fields?: unknown;
  } | null;
  if (!body || !Array.isArray(body.fields))
    throw new VendorError('salesforce', 200, 'malformed_page', `the describe of ${object} has no fields`);
  const fields = (body.fields as { name?: unknown; type?: unknown }[])
    .filter((f) => typeof f.name === 'string' && typeof f.type === 'string')
    .map((f) => ({ name: f.name as string, type: f.type as string }))
    .filter((f) => !SKIPPED_TYPES.has(f.type));
  for (const required of ['Id', 'SystemModstamp'])
    if (!fields.some((f) => f.name === required))
      throw new VendorError('salesforce', 200, 'malformed_page', `${object} has no ${required} field`);
  return fields;
}

const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);

/**
 * One value in the shape the REST API gives it, whichever API read it: Bulk API CSV cells are text (empty
 * for null), so they are typed from the describe; datetimes become ISO 8601 UTC in both. The same record
 * read by a bulk job and by a REST query then has the same payload, and so the same envelope id.
 */
export function normalizeValue(type: string | undefined, value: unknown): unknown {
  if (value === '' || value === undefined) return null;
  if (typeof value !== 'string') return value;
  if (type === 'boolean') return value === 'true';
  if (type !== undefined && NUMERIC.has(type)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (type === 'datetime') {
    const at = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(at) ? value : new Date(at).toISOString();
  }
  return value;
}

/** A record (REST JSON without its `attributes`, or a Bulk CSV row) with every field normalized. */
export function normalizeRecord(
  fields: readonly SalesforceField[],
  record: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const types = new Map(fields.map((f) => [f.name, f.type]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes') continue;
    out[name] = normalizeValue(
      types.get(name) ?? (name === 'SystemModstamp' ? 'datetime' : undefined),
      value,
    );
  }
  return out;
}
