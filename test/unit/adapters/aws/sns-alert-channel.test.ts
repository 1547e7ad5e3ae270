import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsAlertChannel, snsSubject } from '../../../../lambdas/adapters/aws/sns-alert-channel.js';
import type { IncidentNotification } from '../../../../lambdas/core/monitor/alert-notification.js';

const client = new SNSClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const sns = mockClient(client);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sluice-alerts';

const incident: IncidentNotification = {
  type: 'incident',
  incidentId: 'inc-1',
  key: 'volume|raw.segment|event_type=signup',
  state: 'open',
  severity: 'warn',
  title: 'Unusual row volume in raw.segment (event_type=signup)',
  summary: 'Observed 100, below the expected range 180–260.',
  fields: [{ label: 'Owner', value: '@growth' }],
  owner: '@growth',
  link: 'https://sluice.example.com/dashboard#monitor=volume',
};

describe('SnsAlertChannel', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
  });

  it('publishes the alert as text with its state, severity and owner as message attributes', async () => {
    expect(await new SnsAlertChannel({ client, topicArn: TOPIC }).send(incident)).toBe(true);
    const [call] = sns.commandCalls(PublishCommand);
    expect(call?.args[0].input).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'Unusual row volume in raw.segment (event_type=signup)',
      MessageAttributes: {
        type: { DataType: 'String', StringValue: 'incident' },
        state: { DataType: 'String', StringValue: 'open' },
        severity: { DataType: 'String', StringValue: 'warn' },
        owner: { DataType: 'String', StringValue: '@growth' },
      },
    });
    expect(call?.args[0].input.Message).toContain(
      'Dashboard: https://sluice.example.com/dashboard#monitor=volume',
    );
  });

  it('keeps subjects within SNS’s 100 printable ASCII characters', () => {
    const subject = snsSubject(`✅ Resolved:\n${'é'.repeat(200)}`);
    expect(subject).toMatch(/^[\x20-\x7e]{1,100}$/);
  });

  it('lets a failed publish fail the delivery, so the monitor retries it', async () => {
    sns.on(PublishCommand).rejects(new Error('AuthorizationError'));
    await expect(new SnsAlertChannel({ client, topicArn: TOPIC }).send(incident)).rejects.toThrow(
      'AuthorizationError',
    );
  });
});
