import { ConfigError } from '../../core/errors.js';

/**
 * The identifiers the connector accepts for schemas, tables and columns: ASCII letters, digits and `_`, not
 * starting with a digit, at most 63 bytes (PostgreSQL's limit). Anything else (quotes, spaces, `;`) is
 * refused before any SQL is written, so a config value can never change the statement's meaning.
 */
export const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Checks an identifier and quotes it (`"User"`). Quoting keeps mixed-case names as written (Prisma's
 * `"User"."updatedAt"`) and reserved words usable as names; doubling any `"` is the SQL standard's escape,
 * kept as a second guard even though {@link SQL_IDENTIFIER} already refuses quotes.
 */
export function quoteIdentifier(name: string, path: string): string {
  if (!SQL_IDENTIFIER.test(name))
    throw new ConfigError(
      path,
      `${JSON.stringify(name)} is not a plain SQL identifier (letters, digits and _, not starting with a digit)`,
    );
  return `"${name.replaceAll('"', '""')}"`;
}
