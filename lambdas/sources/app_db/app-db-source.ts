/** The application database's source name: its envelopes land in `raw.app_db`. */
export const APP_DB_SOURCE = 'app_db';

/**
 * The secret holding the PostgreSQL URL the connector reads with (`postgres://user:password@host:5432/db`,
 * `?sslmode=require` for TLS). A secret rather than config, because the URL carries the password.
 */
export const APP_DB_URL_SECRET = 'SLUICE_APP_DB_URL';

/** Rows per page when the config sets none: one page is one queue hand-over and one cursor write. */
export const DEFAULT_APP_DB_PAGE_SIZE = 1000;
