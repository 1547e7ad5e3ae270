import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../../lambdas/local/simulator/fake-vendors/fake-slack.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
});
afterAll(() => slack.stop());

async function post(body: unknown, url = slack.webhookUrl): Promise<[number, string]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return [response.status, await response.text()];
}

describe('the fake Slack incoming webhook', () => {
  it('refuses a header longer than Block Kit allows', async () => {
    const [status, reason] = await post({
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }],
    });
    expect([status, reason]).toEqual([
      400,
      'invalid_blocks: blocks[0].text.text must be at most 150 characters',
    ]);
  });

  it('refuses a section with more than ten fields', async () => {
    const fields = Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'a' }));
    expect((await post({ blocks: [{ type: 'section', fields }] }))[0]).toBe(400);
  });

  it('refuses a message with neither text nor blocks', async () => {
    expect(await post({ channel: '#x' })).toEqual([400, 'no_text']);
  });

  it('answers no_service for a webhook it does not serve', async () => {
    expect(await post({ text: 'hi' }, `${slack.webhookUrl}x`)).toEqual([404, 'no_service']);
  });
});
