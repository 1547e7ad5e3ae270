import type { SalesforceNotification, SimEvent } from '../sim-event.js';
import type { FakeSalesforceQueryApi } from './fake-salesforce-query-api.js';
import type { FakeStripeApi, FakeStripeObject } from './fake-stripe-api.js';
import type { FakeZendeskExportApi } from './fake-zendesk-export-api.js';

/** The fakes the pull connectors read. */
export interface PullFakes {
  readonly stripe: FakeStripeApi;
  readonly salesforceQuery: FakeSalesforceQueryApi;
  readonly zendeskExport: FakeZendeskExportApi;
}

/** Salesforce fields whose outbound-message text is a number in the REST API's JSON. */
const SALESFORCE_NUMBERS = new Set([
  'Amount',
  'AnnualRevenue',
  'NumberOfEmployees',
  'Probability',
  'Seats__c',
]);

/** A notification's fields as the REST API answers them: booleans and numbers typed, the rest as text. */
function salesforceRecord(n: SalesforceNotification, at: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(n.fields)) {
    if (value === 'true' || value === 'false') record[name] = value === 'true';
    else if (value !== null && SALESFORCE_NUMBERS.has(name)) record[name] = Number(value);
    else record[name] = value;
  }
  record['SystemModstamp'] ??= new Date(at).toISOString();
  return record;
}

/** A Zendesk event's ticket or organization `detail` as the incremental exports answer it (numeric ids). */
function zendeskRecord(detail: Record<string, unknown>): Record<string, unknown> & { id: number } {
  const record: Record<string, unknown> = { ...detail, id: Number(detail['id']) };
  for (const key of ['organization_id', 'requester_id', 'submitter_id', 'assignee_id', 'group_id'])
    if (typeof record[key] === 'string') record[key] = Number(record[key]);
  if (typeof record['status'] === 'string') record['status'] = record['status'].toLowerCase();
  if (typeof record['priority'] === 'string') record['priority'] = record['priority'].toLowerCase();
  return record as Record<string, unknown> & { id: number };
}

/**
 * Fills the pull connectors' fakes with the state the simulated company's vendors hold after `events` (its
 * history, oldest first): every Stripe object in its latest version and every Stripe event on `/v1/events`;
 * each Salesforce Account and Opportunity as its last outbound message left it; each Zendesk ticket and
 * organization as its last event left it. What the connectors pull lands as `<kind>.snapshot` rows beside
 * the webhook events, which the starter models do not read, so pulling adds no double counts.
 */
export function seedPullFakes(fakes: PullFakes, events: readonly SimEvent[]): void {
  for (const event of events) {
    if (event.source === 'stripe') {
      const body = event.body as FakeStripeObject & { data?: { object?: Record<string, unknown> } };
      const object = body.data?.object;
      if (object && typeof object['id'] === 'string' && typeof object['object'] === 'string')
        fakes.stripe.put({ created: body.created, ...object } as FakeStripeObject);
      fakes.stripe.put(body);
    } else if (event.source === 'salesforce') {
      const n = event.body as SalesforceNotification;
      const record = salesforceRecord(n, event.at);
      if (typeof record['Id'] === 'string')
        fakes.salesforceQuery.put(n.sObjectType, record as Parameters<FakeSalesforceQueryApi['put']>[1]);
    } else if (event.source === 'zendesk') {
      const body = event.body as { type?: unknown; detail?: Record<string, unknown> };
      const type = typeof body.type === 'string' ? body.type : '';
      if (!body.detail || body.detail['id'] === undefined) continue;
      if (type.startsWith('zen:event-type:ticket.'))
        fakes.zendeskExport.put('tickets', zendeskRecord(body.detail));
      else if (type.startsWith('zen:event-type:organization.'))
        fakes.zendeskExport.put('organizations', zendeskRecord(body.detail));
    }
  }
}
