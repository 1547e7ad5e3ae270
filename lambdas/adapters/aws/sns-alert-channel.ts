/**
 * Alerts to an SNS topic, so that e-mail, PagerDuty, Opsgenie or AWS Chatbot can subscribe next to the Slack
 * webhook. The message is plain text (what e-mail shows), the subject a one-line title (SNS allows 100 ASCII
 * characters without line breaks), and the state, severity and incident key ride as message attributes so that
 * a subscription's filter policy can take only errors, or only one owner's incidents.
 *
 * IAM action it needs: `sns:Publish` on the topic ARN (and `kms:GenerateDataKey`/`kms:Decrypt` on the topic's
 * key when it is encrypted).
 */
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertChannel } from '../../core/monitor/alert-channel.js';
import type { AlertNotification } from '../../core/monitor/alert-notification.js';

/** How to reach the topic. */
export interface SnsAlertChannelOptions {
  /** The SNS client; injected so that tests can mock it. */
  readonly client: SNSClient;
  /** ARN of the topic (env `SLUICE_ALERT_TOPIC_ARN` in the monitor function). */
  readonly topicArn: string;
}

/** SNS subjects: ASCII, no control characters, at most 100 characters. */
export function snsSubject(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const subject = ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
  return subject === '' ? 'Sluice alert' : subject;
}

/** The plain-text body of a notification. */
export function snsMessage(notification: AlertNotification): string {
  if (notification.type === 'digest') {
    return [
      notification.title,
      notification.summary,
      ...notification.groups.flatMap((g) => ['', `${g.owner}:`, ...g.lines.map((l) => `  - ${l}`)]),
      ...(notification.link ? ['', notification.link] : []),
    ].join('\n');
  }
  return [
    notification.title,
    '',
    notification.summary,
    '',
    ...notification.fields.map((f) => `${f.label}: ${f.value}`),
    ...(notification.link ? ['', `Dashboard: ${notification.link}`] : []),
    '',
    `Incident ${notification.incidentId} (${notification.key})`,
  ].join('\n');
}

function attribute(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}

/** An {@link AlertChannel} publishing to SNS. */
export class SnsAlertChannel implements AlertChannel {
  readonly name = 'sns';

  constructor(private readonly options: SnsAlertChannelOptions) {}

  async send(notification: AlertNotification): Promise<boolean> {
    const attributes: Record<string, MessageAttributeValue> =
      notification.type === 'digest'
        ? { type: attribute('digest') }
        : {
            type: attribute('incident'),
            state: attribute(notification.state),
            severity: attribute(notification.severity),
            incident_key: attribute(notification.key),
            ...(notification.owner ? { owner: attribute(notification.owner) } : {}),
          };
    await this.options.client.send(
      new PublishCommand({
        TopicArn: this.options.topicArn,
        Subject: snsSubject(notification.title),
        Message: snsMessage(notification),
        MessageAttributes: attributes,
      }),
    );
    return true;
  }
}
