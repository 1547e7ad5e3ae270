import { createSchemaRegistry } from '../../core/ingest/schema-registry.js';
import chargeEvent from '../../../schemas/stripe/charge-event.json' with { type: 'json' };
import customerEvent from '../../../schemas/stripe/customer-event.json' with { type: 'json' };
import event from '../../../schemas/stripe/event.json' with { type: 'json' };
import invoiceEvent from '../../../schemas/stripe/invoice-event.json' with { type: 'json' };
import subscriptionEvent from '../../../schemas/stripe/subscription-event.json' with { type: 'json' };

/** `$id`s of the Stripe event schemas. */
export const STRIPE_SCHEMA_IDS = {
  event: 'https://sluice.dev/schemas/stripe/event/v1.json',
  customer: 'https://sluice.dev/schemas/stripe/customer-event/v1.json',
  subscription: 'https://sluice.dev/schemas/stripe/subscription-event/v1.json',
  invoice: 'https://sluice.dev/schemas/stripe/invoice-event/v1.json',
  charge: 'https://sluice.dev/schemas/stripe/charge-event/v1.json',
} as const;

/**
 * The Stripe schemas, compiled once per process. The base event schema comes first because the modelled
 * ones refer to it by `$id`.
 */
export const STRIPE_SCHEMAS = createSchemaRegistry([
  event,
  customerEvent,
  subscriptionEvent,
  invoiceEvent,
  chargeEvent,
]);

/**
 * Which schema an event type is checked against. Matching is exact on purpose: `customer.discount.*`,
 * `customer.source.*`, `charge.dispute.*` and `charge.refund.*` carry other objects than their prefix
 * suggests, so they get the base event schema like every type Sluice does not model.
 */
export function stripeSchemaFor(eventType: unknown): string {
  if (typeof eventType !== 'string') return STRIPE_SCHEMA_IDS.event;
  if (/^customer\.(created|updated|deleted)$/.test(eventType)) return STRIPE_SCHEMA_IDS.customer;
  if (/^customer\.subscription\.[a-z_]+$/.test(eventType)) return STRIPE_SCHEMA_IDS.subscription;
  if (/^invoice\.[a-z_]+$/.test(eventType)) return STRIPE_SCHEMA_IDS.invoice;
  if (/^charge\.[a-z_]+$/.test(eventType)) return STRIPE_SCHEMA_IDS.charge;
  return STRIPE_SCHEMA_IDS.event;
}
