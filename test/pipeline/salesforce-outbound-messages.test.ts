import { afterEach, describe, expect, it } from 'vitest';
import { localPipelines } from '../support/local-pipeline-harness.js';
import {
  accountNotification,
  opportunityNotification,
  ORG_ID_15,
  outboundMessage,
  SESSION_ID,
} from '../support/salesforce-fixtures.js';

const harness = localPipelines();
afterEach(() => harness.cleanup());

async function postSoap(url: string, xml: string) {
  const response = await fetch(`${url}/webhooks/salesforce`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body: xml,
  });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

describe('Salesforce outbound messages through the local pipeline', () => {
  it('acknowledges each message and loads one row per notification id into raw.salesforce, retries included', async () => {
    const { url, pipeline, ports } = await harness.start({ SLUICE_SALESFORCE_ORG_IDS: ORG_ID_15 });
    const hundred = Array.from({ length: 100 }, (_, i) =>
      i % 4 === 0 ? opportunityNotification(i) : accountNotification(i),
    );
    const first = await postSoap(url, outboundMessage(hundred));
    expect([first.status, first.type]).toEqual([200, 'text/xml; charset=utf-8']);
    expect(first.body).toContain('<Ack>true</Ack>');
    expect((await postSoap(url, outboundMessage(hundred.slice(0, 10)))).status).toBe(200);
    expect(
      (
        await postSoap(
          url,
          outboundMessage([accountNotification(500), opportunityNotification(501, { Amount: 'lots' })]),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await postSoap(
          url,
          outboundMessage([accountNotification(600)], { organizationId: '00Dxx0000001gEH' }),
        )
      ).status,
    ).toBe(401);
    expect((await postSoap(url, '<soapenv:Envelope><soapenv:Body>')).status).toBe(400);

    await pipeline.flush();

    const [counts] = await ports.warehouse.query(
      `SELECT count(*) AS n, count(DISTINCT event_id) AS ids,
              count(*) FILTER (WHERE event_type = 'account.outbound_message') AS accounts,
              count(*) FILTER (WHERE event_type = 'opportunity.outbound_message') AS opportunities
       FROM raw.salesforce`,
    );
    expect(counts).toEqual({ n: 101, ids: 101, accounts: 76, opportunities: 25 });
    const quarantined = await ports.warehouse.query(
      `SELECT event_type FROM ops.quarantine WHERE source = 'salesforce'`,
    );
    expect(quarantined).toEqual([{ event_type: 'opportunity.outbound_message' }]);
    const [leak] = await ports.warehouse.query(
      `SELECT count(*) AS n FROM raw.salesforce WHERE CAST(payload AS VARCHAR) LIKE ? OR CAST(payload AS VARCHAR) LIKE '%SessionId%'`,
      [`%${SESSION_ID}%`],
    );
    expect(leak).toEqual({ n: 0 });
  });
});
