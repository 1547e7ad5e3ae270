/**
 * The envelope: the one shape every accepted event takes from ingest to the warehouse. Landing files hold
 * one envelope per line and `raw.<source>` tables have one column per field, so any source flows through the
 * same land and load steps.
 */
export interface Envelope {
  /** Unique within its source: the vendor's event id (Stripe `id`, Segment `messageId`, …). */
  readonly event_id: string;
  /** Source name (`stripe`, `segment`, or a configured generic source). */
  readonly source: string;
  /** Event type (`invoice.paid`, `track`, …). */
  readonly event_type: string;
  /** When the event happened, ISO 8601 UTC. */
  readonly occurred_at: string;
  /** When Sluice accepted it, ISO 8601 UTC. */
  readonly received_at: string;
  /** The event as the vendor sent it, kept whole so that schema drift never breaks a load. */
  readonly payload: unknown;
}

/**
 * An authentic event that failed its schema. It travels like any envelope, but lands under `quarantine/` and
 * loads into `ops.quarantine` with its reason, so that `sluice replay quarantine` can retry it after a fix.
 */
export interface QuarantinedEnvelope extends Envelope {
  /** Why the event was quarantined (the schema error, with the path of the offending field). */
  readonly quarantine_reason: string;
}

/** Whether an envelope is a quarantined one. */
export function isQuarantined(envelope: Envelope): envelope is QuarantinedEnvelope {
  return typeof (envelope as Partial<QuarantinedEnvelope>).quarantine_reason === 'string';
}

/** Source names: lower-case letters, digits and `_`, starting with a letter (they become table names). */
export const SOURCE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Whether `name` is a valid source name (and so a safe SQL identifier and key segment). */
export function isSourceName(name: string): boolean {
  return SOURCE_NAME.test(name);
}
