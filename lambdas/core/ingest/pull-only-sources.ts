import type { SourceConfig, SourceKind } from '../config/config-types.js';

/**
 * Source kinds Sluice only pulls (the application database, Amplitude's export API): nothing posts to them,
 * so they have no ingest route and no webhook secret, locally or in AWS.
 */
export const PULL_ONLY_KINDS: readonly SourceKind[] = ['postgres', 'amplitude'];

/**
 * The source names pull-only connectors land in (`raw.app_db`, `raw.amplitude`): reserved even when not
 * declared, so that a generic webhook secret named after one cannot mix pushed events into a pulled table.
 */
export const PULL_ONLY_SOURCE_NAMES: readonly string[] = ['app_db', 'amplitude'];

/** Whether a source kind is only pulled (no route, no webhook secret). */
export function isPullOnlyKind(kind: SourceKind): boolean {
  return PULL_ONLY_KINDS.includes(kind);
}

/** Whether `/webhooks/<source>` must not exist: the source is declared pull-only or bears a pull-only name. */
export function isPullOnlySource(source: string, declared: SourceConfig | undefined): boolean {
  return declared ? isPullOnlyKind(declared.kind) : PULL_ONLY_SOURCE_NAMES.includes(source);
}
