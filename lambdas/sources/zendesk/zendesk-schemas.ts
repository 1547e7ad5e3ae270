import { createSchemaRegistry } from '../../core/ingest/schema-registry.js';
import event from '../../../schemas/zendesk/event.json' with { type: 'json' };
import ticketEvent from '../../../schemas/zendesk/ticket-event.json' with { type: 'json' };

/** `$id`s of the Zendesk event schemas. */
export const ZENDESK_SCHEMA_IDS = {
  event: 'https://sluice.dev/schemas/zendesk/event/v1.json',
  ticket: 'https://sluice.dev/schemas/zendesk/ticket-event/v1.json',
} as const;

/** The Zendesk schemas, compiled once per process (the base first: the ticket schema refers to it). */
export const ZENDESK_SCHEMAS = createSchemaRegistry([event, ticketEvent]);

/** The schema of an event-subscription webhook's type: ticket events are modelled, the rest get the base. */
export function zendeskSchemaFor(eventType: string): string {
  return eventType.startsWith('zen:event-type:ticket.')
    ? ZENDESK_SCHEMA_IDS.ticket
    : ZENDESK_SCHEMA_IDS.event;
}
