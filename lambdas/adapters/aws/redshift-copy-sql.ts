/**
 * The Redshift `COPY` statement that bulk-loads landing files: gzip NDJSON listed by a manifest, one JSON key
 * per column.
 *
 * Why these options (Redshift Database Developer Guide, COPY): the synopsis is `COPY table [(columns)] FROM
 * source authorization [FORMAT [AS] format] [parameter …]`, so the role comes right after the source and the
 * format before the other parameters. `FORMAT AS JSON 'auto'` matches JSON keys to the names in the column
 * list, and a key holding a nested object or array lands whole in a `SUPER` column (the "shred with auto"
 * method of loading JSON into SUPER), which is what `payload` is; `noshred` would instead put the whole line in
 * one column. `GZIP` because the files are gzip, `MANIFEST` because the source is a manifest listing exactly
 * the files of this load (so a retried load never picks up a newer file), `TIMEFORMAT 'auto'` so ISO 8601
 * strings load into timestamp columns.
 */
import { WarehouseError } from '../../core/errors.js';
import type { BulkLoadRequest } from '../../core/ports.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,126}$/;

/** Checks a `schema.table` or column name against the safe lower-case identifier shape. */
function safeName(name: string, parts: 1 | 2): string {
  const segments = name.split('.');
  const ok = segments.length <= parts && segments.every((segment) => IDENTIFIER.test(segment));
  if (!ok) throw new WarehouseError(`"${name}" is not a safe table or column name for COPY`);
  return name;
}

/** A single-quoted SQL string literal (quotes doubled, backslashes escaped as Redshift reads them). */
function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The `COPY` statement loading `request.manifest` into `request.table` with `copyRoleArn` as the role
 * Redshift assumes to read the bucket. Throws {@link WarehouseError} for names that are not plain identifiers.
 */
export function copyStatement(request: BulkLoadRequest, copyRoleArn: string): string {
  const columns = request.columns.map((column) => safeName(column.name, 1)).join(', ');
  return (
    `COPY ${safeName(request.table, 2)} (${columns}) FROM ${literal(request.manifest)} ` +
    `IAM_ROLE ${literal(copyRoleArn)} FORMAT AS JSON 'auto' GZIP MANIFEST TIMEFORMAT 'auto'`
  );
}
