/** Where a SystemModstamp-ordered read stands: the last record's stamp and id (ties broken by id). */
export interface ModstampPosition {
  /** ISO 8601 UTC. */
  readonly since: string;
  /** The id of the last record read at `since`; absent before the first record. */
  readonly lastId?: string;
}

const ID = /^[A-Za-z0-9]{15,18}$/;
const OBJECT = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Whether `name` is an sObject API name that may go into SOQL (`Account`, `Invoice__c`). */
export function isObjectName(name: string): boolean {
  return OBJECT.test(name);
}

/** A SOQL datetime literal (unquoted ISO 8601 UTC). */
function literal(iso: string): string {
  return new Date(iso).toISOString();
}

/**
 * The condition "after `position`": `SystemModstamp > t OR (SystemModstamp = t AND Id > 'last')`, or
 * `SystemModstamp >= t` before any record. Records that share a stamp are ordered by id, so a page that ends
 * in the middle of a tie resumes right after its last record: nothing skipped, nothing read twice.
 */
export function afterPosition(position: ModstampPosition): string {
  const t = literal(position.since);
  if (position.lastId === undefined) return `SystemModstamp >= ${t}`;
  if (!ID.test(position.lastId)) throw new Error(`not a Salesforce id: ${position.lastId}`);
  return `(SystemModstamp > ${t} OR (SystemModstamp = ${t} AND Id > '${position.lastId}'))`;
}

/** The REST increment: records changed after `position`, in (SystemModstamp, Id) order. */
export function changedRecordsQuery(
  object: string,
  fields: readonly string[],
  position: ModstampPosition,
): string {
  return `SELECT ${fields.join(', ')} FROM ${object} WHERE ${afterPosition(position)} ORDER BY SystemModstamp ASC, Id ASC`;
}

/** The deletes (`queryAll`): records in the recycle bin deleted after `position`, in order. */
export function deletedRecordsQuery(object: string, position: ModstampPosition): string {
  return `SELECT Id, SystemModstamp, IsDeleted FROM ${object} WHERE IsDeleted = true AND ${afterPosition(position)} ORDER BY SystemModstamp ASC, Id ASC`;
}

/** The first sync as a Bulk API 2.0 query (which does not order): every record stamped since `since`. */
export function bulkQuery(object: string, fields: readonly string[], since: string): string {
  return `SELECT ${fields.join(', ')} FROM ${object} WHERE SystemModstamp >= ${literal(since)}`;
}

/** Whether (stamp, id) comes after `position` in (SystemModstamp, Id) order. */
export function isAfter(stamp: string, id: string, position: ModstampPosition | undefined): boolean {
  if (!position) return true;
  const a = Date.parse(stamp);
  const b = Date.parse(position.since);
  return a > b || (a === b && (position.lastId === undefined || id > position.lastId));
}
