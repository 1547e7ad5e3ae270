/**
 * Where alerts go. The monitor announces incidents through these without knowing the transport: Slack (an
 * incoming webhook through the Http port, in both runtimes) and, in AWS, an SNS topic that e-mail, PagerDuty
 * or chat integrations subscribe to.
 */
import type { AlertNotification } from './alert-notification.js';

/** A destination for alerts. */
export interface AlertChannel {
  /** Short name for logs and metrics (`slack`, `sns`). */
  readonly name: string;
  /**
   * Delivers one notification. Resolves `true` once delivered, `false` when the channel is not configured
   * (no webhook URL, no topic); throws when delivery failed, so the monitor retries it on its next run.
   */
  send(notification: AlertNotification): Promise<boolean>;
}
