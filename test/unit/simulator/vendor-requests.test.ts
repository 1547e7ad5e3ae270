import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifySluiceSignature } from '../../../lambdas/sources/generic/signature.js';
import {
  parseOutboundMessage,
  readNotifications,
} from '../../../lambdas/sources/salesforce/outbound-message.js';
import { isWriteKey, basicAuthUser } from '../../../lambdas/sources/segment/write-key.js';
import { signStripeBody, verifyStripeSignature } from '../../../lambdas/sources/stripe/stripe-signature.js';
import { verifyZendeskSignature } from '../../../lambdas/sources/zendesk/zendesk-signature.js';
import type { SalesforceNotification } from '../../../lambdas/local/simulator/sim-event.js';
import { SIMULATOR_ORG_ID } from '../../../lambdas/local/simulator/salesforce-message.js';
import { vendorRequests, type SimulatorSecrets } from '../../../lambdas/local/simulator/vendor-requests.js';
import { simulate } from './simulated-company.js';

const SECRETS: SimulatorSecrets = {
  segmentWriteKey: 'wk_sim_test',
  stripeWebhookSecret: 'whsec_sim_test',
  zendeskWebhookSecret: 'zendesk-sim-secret',
  appEventsWebhookSecret: 'app-sim-secret',
};
const { events } = simulate(5, 7, 2);
const requests = vendorRequests(events, SECRETS);
const NOW = new Date();
const of = (source: string) => requests.filter((r) => r.source === source);

describe('requests the simulator sends', () => {
  it('carries every event exactly once', () => {
    expect(requests.flatMap((r) => r.events)).toHaveLength(events.length);
  });

  it('batches Segment calls by at most 100, with the write key as Basic user name', () => {
    for (const request of of('segment')) {
      const { headers, body } = request.build(NOW);
      const parsed = JSON.parse(body) as { batch: { messageId: string }[]; sentAt: string };
      expect(parsed.batch.length).toBeLessThanOrEqual(100);
      expect(parsed.batch.map((c) => c.messageId)).toEqual(request.events.map((e) => e.id));
      expect(parsed.sentAt).toBe(NOW.toISOString());
      expect(isWriteKey(basicAuthUser(headers['authorization']) ?? '', SECRETS.segmentWriteKey)).toBe(true);
    }
  });

  it("signs Stripe deliveries exactly as Stripe's own library does", () => {
    const { headers, body } = of('stripe')[0]?.build(NOW) ?? { headers: {}, body: '' };
    const expected = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: SECRETS.stripeWebhookSecret,
      timestamp: Math.floor(NOW.getTime() / 1000),
    });
    expect(headers['stripe-signature']).toBe(expected);
    expect(signStripeBody(body, Math.floor(NOW.getTime() / 1000), SECRETS.stripeWebhookSecret)).toBe(
      expected,
    );
    expect(() =>
      verifyStripeSignature(
        headers['stripe-signature'],
        Buffer.from(body),
        [SECRETS.stripeWebhookSecret],
        NOW,
      ),
    ).not.toThrow();
  });

  it('signs Zendesk deliveries so that the Zendesk verifier accepts them', () => {
    for (const request of of('zendesk').slice(0, 20)) {
      const { headers, body } = request.build(NOW);
      expect(() =>
        verifyZendeskSignature(headers, Buffer.from(body), SECRETS.zendeskWebhookSecret, NOW),
      ).not.toThrow();
    }
  });

  it('signs application events with the generic webhook signature', () => {
    const { headers, body } = of('app_events')[0]?.build(NOW) ?? { headers: {}, body: '' };
    expect(
      verifySluiceSignature(headers['x-sluice-signature'], Buffer.from(body), SECRETS.appEventsWebhookSecret),
    ).toEqual({
      ok: true,
    });
  });

  it('writes Salesforce notifications as outbound messages the parser reads back whole', () => {
    for (const request of of('salesforce')) {
      const message = parseOutboundMessage(Buffer.from(request.build(NOW).body));
      expect(message.header.OrganizationId).toBe(SIMULATOR_ORG_ID);
      const read = readNotifications(message.notifications);
      expect(read).toEqual(
        request.events.map((e) => {
          const n = e.body as SalesforceNotification;
          return { id: n.id, sObjectType: n.sObjectType, fields: n.fields };
        }),
      );
    }
  });
});
