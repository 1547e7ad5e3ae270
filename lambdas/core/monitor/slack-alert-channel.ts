/**
 * Slack through an incoming webhook: the webhook URL is a secret (`SLUICE_SLACK_WEBHOOK_URL`: an environment
 * variable or `SLUICE_HOME/secrets.json` locally, `<prefix>SLUICE_SLACK_WEBHOOK_URL` in Secrets Manager in AWS),
 * and the message goes out through the Http port. Slack answers 429 with `Retry-After` when a webhook posts more
 * than about one message per second; the channel waits as told and tries again.
 */
import { SluiceError } from '../errors.js';
import type { Clock, Http, Logger, Secrets } from '../ports.js';
import type { AlertChannel } from './alert-channel.js';
import type { AlertNotification } from './alert-notification.js';
import { slackMessage } from './slack-message.js';

/** Name of the secret holding the incoming webhook URL. */
export const SLACK_WEBHOOK_SECRET = 'SLUICE_SLACK_WEBHOOK_URL';

/** Attempts per message when Slack rate-limits or fails transiently. */
const MAX_ATTEMPTS = 4;
/** Longest wait honoured from a `Retry-After` (a monitor run must not stall for minutes). */
const MAX_RETRY_AFTER_MS = 60_000;

/** Settings of a {@link SlackAlertChannel}. */
export interface SlackAlertChannelOptions {
  readonly http: Http;
  readonly secrets: Secrets;
  readonly clock: Clock;
  readonly log: Logger;
  /** Channel named in the messages (an incoming webhook always posts to the channel it was made for). */
  readonly channel?: string;
}

/** An {@link AlertChannel} posting Block Kit messages to a Slack incoming webhook. */
export class SlackAlertChannel implements AlertChannel {
  readonly name = 'slack';
  private warnedUnset = false;

  constructor(private readonly options: SlackAlertChannelOptions) {}

  async send(notification: AlertNotification): Promise<boolean> {
    const url = await this.options.secrets.get(SLACK_WEBHOOK_SECRET);
    if (!url) {
      if (!this.warnedUnset) {
        this.options.log.warn('Slack alerts are off: the webhook URL secret is not set', {
          setting: SLACK_WEBHOOK_SECRET,
        });
        this.warnedUnset = true;
      }
      return false;
    }
    const body = JSON.stringify(slackMessage(notification, this.options.channel));
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.options.http(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
      });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) return true;
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= MAX_ATTEMPTS) {
        // Slack's error bodies are short codes (`invalid_blocks`, `no_service`); the URL is never logged.
        throw new SluiceError(
          'alert_failed',
          `Slack answered ${response.status} ${text.slice(0, 100)} after ${attempt} attempt(s)`,
        );
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      const waitMs =
        response.status === 429 && Number.isFinite(retryAfter) && retryAfter >= 0
          ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS)
          : 1000 * 2 ** (attempt - 1);
      this.options.log.warn('Slack asked to retry', { status: response.status, waitMs, attempt });
      await this.options.clock.sleep(waitMs);
    }
  }
}
