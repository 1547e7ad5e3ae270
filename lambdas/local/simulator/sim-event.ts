/** The sources the simulator sends to, each through its real route. */
export const SIM_SOURCES = ['segment', 'stripe', 'zendesk', 'salesforce', 'app_events'] as const;

/** A source the simulator sends to (also the `raw.<source>` table its events land in). */
export type SimSource = (typeof SIM_SOURCES)[number];

/** A Salesforce outbound-message notification before it is written as SOAP XML. */
export interface SalesforceNotification {
  /** The notification id (`04l…`, 18 characters): the event id Sluice keeps. */
  readonly id: string;
  /** The sObject type (`Account`, `Opportunity`). */
  readonly sObjectType: string;
  /** The sObject's fields as Salesforce writes them: text, or `null` for `xsi:nil`. */
  readonly fields: Readonly<Record<string, string | null>>;
}

/**
 * One event of the simulated company, as its vendor would deliver it. `id` and `type` are what the pipeline
 * will record as `event_id` and `event_type`, so the ground truth can count exactly what lands in the warehouse.
 */
export interface SimEvent {
  readonly source: SimSource;
  /** The `event_type` the pipeline records (`track`, `invoice.paid`, `account.outbound_message`, …). */
  readonly type: string;
  /** The `event_id` the pipeline records. */
  readonly id: string;
  /** When it happened in simulated time, epoch milliseconds. */
  readonly at: number;
  /** The vendor's payload: a JSON object, or a notification for Salesforce. */
  readonly body: Readonly<Record<string, unknown>> | SalesforceNotification;
}
