import { afterEach, describe, expect, it } from 'vitest';
import { localPipelines } from '../support/local-pipeline-harness.js';
import {
  ZENDESK_SECRET,
  zendeskHeaders,
  zendeskTicketEvent,
  zendeskTriggerBody,
} from '../support/zendesk-fixtures.js';

const harness = localPipelines();
afterEach(() => harness.cleanup());

async function postZendesk(
  url: string,
  payload: Record<string, unknown>,
  options: { secret?: string; signedAt?: Date } = {},
) {
  const body = JSON.stringify(payload);
  const response = await fetch(`${url}/webhooks/zendesk`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...zendeskHeaders(body, options.signedAt ?? new Date(), options.secret ?? ZENDESK_SECRET),
    },
    body,
  });
  return response.status;
}

describe('Zendesk webhooks through the local pipeline', () => {
  it('loads each authentic event and trigger body once into raw.zendesk, quarantines the invalid one, keeps out the forged', async () => {
    const { url, pipeline, ports } = await harness.start({ SLUICE_ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET });
    const created = zendeskTicketEvent('zen:event-type:ticket.created', { id: 'zd-e2e-created' });
    expect(await postZendesk(url, created)).toBe(200);
    expect(await postZendesk(url, created)).toBe(200);
    expect(
      await postZendesk(
        url,
        zendeskTicketEvent('zen:event-type:ticket.status_changed', { id: 'zd-e2e-status' }),
      ),
    ).toBe(200);
    expect(await postZendesk(url, zendeskTriggerBody(35436))).toBe(200);
    expect(await postZendesk(url, zendeskTriggerBody(35436))).toBe(200);
    expect(
      await postZendesk(
        url,
        zendeskTicketEvent(undefined, { id: 'zd-e2e-invalid', detail: { status: 'open' } }),
      ),
    ).toBe(200);
    expect(
      await postZendesk(url, zendeskTicketEvent(undefined, { id: 'zd-e2e-forged' }), {
        secret: 'not-the-secret',
      }),
    ).toBe(401);
    expect(
      await postZendesk(url, zendeskTicketEvent(undefined, { id: 'zd-e2e-replayed' }), {
        signedAt: new Date(Date.now() - 3_600_000),
      }),
    ).toBe(401);

    await pipeline.flush();

    const rows = await ports.warehouse.query(
      `SELECT event_type, json_extract_string(payload, '$.detail.id') AS ticket_from_event,
              json_extract_string(payload, '$.ticket.id') AS ticket_from_trigger
       FROM raw.zendesk ORDER BY event_type`,
    );
    expect(rows).toEqual([
      { event_type: 'ticket.webhook', ticket_from_event: null, ticket_from_trigger: '35436' },
      { event_type: 'zen:event-type:ticket.created', ticket_from_event: '35436', ticket_from_trigger: null },
      {
        event_type: 'zen:event-type:ticket.status_changed',
        ticket_from_event: '35436',
        ticket_from_trigger: null,
      },
    ]);
    const quarantined = await ports.warehouse.query(
      `SELECT event_id FROM ops.quarantine WHERE source = 'zendesk'`,
    );
    expect(quarantined).toEqual([{ event_id: 'zd-e2e-invalid' }]);
  });
});
