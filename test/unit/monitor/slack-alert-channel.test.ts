import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentNotification } from '../../../lambdas/core/monitor/alert-notification.js';
import { buildDigest } from '../../../lambdas/core/monitor/digest.js';
import { SlackAlertChannel } from '../../../lambdas/core/monitor/slack-alert-channel.js';
import { FakeSlack } from '../../../lambdas/local/simulator/fake-vendors/fake-slack.js';
import { FixedClock, MapSecrets, RecordingLogger } from '../../support/memory-ports.js';

const NOW = new Date('2026-11-24T10:00:00Z');
let slack: FakeSlack;

const notification = (overrides: Partial<IncidentNotification> = {}): IncidentNotification => ({
  type: 'incident',
  incidentId: 'inc-1',
  key: 'freshness|raw.stripe',
  state: 'open',
  severity: 'warn',
  title: 'raw.stripe is stale',
  summary: 'The newest row of raw.stripe is 1 h 30 min old <at 08:30> & counting.',
  fields: [
    { label: 'Observed', value: '1 h 30 min since the newest row' },
    { label: 'Owner', value: '@revops' },
  ],
  owner: '@revops',
  link: 'http://127.0.0.1:4000/dashboard#monitor=freshness%7Craw.stripe',
  ...overrides,
});

function channel(
  clock = new FixedClock(NOW),
  log = new RecordingLogger(),
  url: string | null = slack.webhookUrl,
) {
  return new SlackAlertChannel({
    http: fetch,
    secrets: new MapSecrets(url ? { SLUICE_SLACK_WEBHOOK_URL: url } : {}),
    clock,
    log,
    channel: '#data-alerts',
  });
}

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
});
beforeEach(() => {
  slack.messages.length = 0;
  slack.refusals.length = 0;
});
afterAll(() => slack.stop());

describe('Slack alerts through an incoming webhook', () => {
  it('posts a Block Kit message that Slack accepts, with the facts as fields and a dashboard button', async () => {
    expect(await channel().send(notification())).toBe(true);
    const [message] = slack.messages;
    expect(message?.header).toBe(':large_orange_circle: raw.stripe is stale');
    expect(message?.blocks.map((b) => b['type'])).toEqual([
      'header',
      'section',
      'section',
      'actions',
      'context',
    ]);
    expect(JSON.stringify(message?.blocks)).toContain('&lt;at 08:30&gt; &amp; counting');
  });

  it('gives resolutions a look of their own', async () => {
    await channel().send(notification({ state: 'resolved', title: 'Resolved: raw.stripe is fresh again' }));
    expect(slack.messages[0]?.header).toBe(':white_check_mark: Resolved: raw.stripe is fresh again');
  });

  it('cuts texts to the Block Kit limits so that a long explanation is still accepted', async () => {
    const long = 'x'.repeat(5000);
    await channel().send(
      notification({
        title: long,
        summary: long,
        fields: Array.from({ length: 12 }, (_, i) => ({ label: `f${i}`, value: long })),
      }),
    );
    expect(slack.refusals).toEqual([]);
    expect(slack.messages).toHaveLength(1);
  });

  it('waits as long as Retry-After says when Slack answers 429, then delivers', async () => {
    slack.rateLimit(2, 3);
    const clock = new FixedClock(NOW);
    expect(await channel(clock).send(notification())).toBe(true);
    expect(slack.messages).toHaveLength(1);
    expect(clock.now().getTime() - NOW.getTime()).toBe(6000);
  });

  it('fails with Slack’s reason and never the webhook URL when Slack refuses the message', async () => {
    const url = `${slack.webhookUrl.replace(/[^/]+$/, '')}wrongToken`;
    const failure = channel(undefined, undefined, url).send(notification());
    await expect(failure).rejects.toThrow(/Slack answered 404 no_service/);
    await expect(failure).rejects.not.toThrow(/wrongToken/);
  });

  it('reports itself unconfigured, with one warning, when the webhook secret is unset', async () => {
    const log = new RecordingLogger();
    const slackOff = channel(undefined, log, null);
    expect(await slackOff.send(notification())).toBe(false);
    expect(await slackOff.send(notification())).toBe(false);
    expect(log.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
  });

  it('posts the daily digest grouped by owner', async () => {
    const digest = buildDigest(
      [
        {
          id: 'a',
          key: 'freshness|raw.stripe',
          monitor: 'freshness',
          kind: 'freshness',
          table: 'raw.stripe',
          dimension: null,
          severity: 'error',
          state: 'open',
          owner: '@revops',
          openedAt: new Date(NOW.getTime() - 3_600_000),
          updatedAt: NOW,
          resolvedAt: null,
          lastNotifiedAt: NOW,
          notifications: 1,
          observations: 3,
          observed: 300,
          explanation: '',
          details: {},
        },
        {
          id: 'b',
          key: 'volume|raw.segment',
          monitor: 'volume',
          kind: 'volume',
          table: 'raw.segment',
          dimension: null,
          severity: 'warn',
          state: 'resolved',
          owner: null,
          openedAt: new Date(NOW.getTime() - 7_200_000),
          updatedAt: NOW,
          resolvedAt: NOW,
          lastNotifiedAt: NOW,
          notifications: 2,
          observations: 2,
          observed: 10,
          explanation: '',
          details: {},
        },
      ],
      NOW,
    );
    await channel().send(digest);
    const text = JSON.stringify(slack.messages[0]?.blocks);
    expect(slack.messages[0]?.header).toBe(':clipboard: Sluice daily digest: 1 open, 1 resolved');
    expect(text.indexOf('@revops')).toBeLessThan(text.indexOf('unassigned'));
  });
});
