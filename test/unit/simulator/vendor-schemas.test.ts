import { describe, expect, it } from 'vitest';
import {
  SALESFORCE_SCHEMAS,
  salesforceSchemaFor,
} from '../../../lambdas/sources/salesforce/salesforce-schemas.js';
import { checkCall } from '../../../lambdas/sources/segment/segment-schemas.js';
import type { CallType } from '../../../lambdas/sources/segment/segment-calls.js';
import { STRIPE_SCHEMAS, stripeSchemaFor } from '../../../lambdas/sources/stripe/stripe-schemas.js';
import { ZENDESK_SCHEMAS, zendeskSchemaFor } from '../../../lambdas/sources/zendesk/zendesk-schemas.js';
import { SIMULATOR_ORG_ID } from '../../../lambdas/local/simulator/salesforce-message.js';
import type { SalesforceNotification, SimEvent } from '../../../lambdas/local/simulator/sim-event.js';
import { simulate } from './simulated-company.js';

const { events } = simulate(12, 14, 3);
const of = (source: string) => events.filter((e) => e.source === source);
const body = (e: SimEvent) => e.body as Record<string, unknown>;
const failures = (list: readonly SimEvent[], check: (e: SimEvent) => string | undefined) =>
  list.map((e) => check(e)).filter((reason): reason is string => reason !== undefined);

describe('simulated events against the schemas their routes check', () => {
  it('sends Segment calls every call schema accepts', () => {
    expect(failures(of('segment'), (e) => checkCall(e.type as CallType, e.body))).toEqual([]);
  });

  it('sends Stripe events every event schema accepts', () => {
    expect(failures(of('stripe'), (e) => STRIPE_SCHEMAS.check(stripeSchemaFor(e.type), e.body))).toEqual([]);
  });

  it('sends Zendesk event webhooks every event schema accepts', () => {
    const subscribed = of('zendesk').filter((e) => e.type.startsWith('zen:event-type:'));
    expect(subscribed.length).toBeGreaterThan(0);
    expect(failures(subscribed, (e) => ZENDESK_SCHEMAS.check(zendeskSchemaFor(e.type), e.body))).toEqual([]);
  });

  it('sends Salesforce notifications every notification schema accepts', () => {
    const check = (e: SimEvent) => {
      const n = e.body as SalesforceNotification;
      const payload = {
        OrganizationId: SIMULATOR_ORG_ID,
        NotificationId: n.id,
        sObjectType: n.sObjectType,
        sObject: n.fields,
      };
      return SALESFORCE_SCHEMAS.check(salesforceSchemaFor(n.sObjectType), payload);
    };
    expect(failures(of('salesforce'), check)).toEqual([]);
  });

  it('gives application events the id, type and time the generic route reads', () => {
    for (const e of of('app_events')) {
      expect(body(e)).toMatchObject({ id: e.id, type: e.type, occurred_at: new Date(e.at).toISOString() });
    }
  });
});
