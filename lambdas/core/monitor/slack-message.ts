/**
 * Renders alerts as Slack Block Kit messages for an incoming webhook: a header, the explanation, the facts as
 * section fields, a dashboard button and a context line. Open incidents and resolutions look different at a
 * glance (red or amber circle versus green check), and every text is cut to Slack's documented limits so that
 * a long explanation can never make Slack refuse the message (`invalid_blocks`).
 */
import type { AlertNotification, DigestNotification, IncidentNotification } from './alert-notification.js';

/** Slack's limits on Block Kit text (characters), from the Block Kit reference. */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  blocks: 50,
  buttonText: 75,
  buttonUrl: 3000,
  fallbackText: 4000,
} as const;

/** A Block Kit block (the subset the alerts use). */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: boolean } }
  | { type: 'section'; text?: { type: 'mrkdwn'; text: string }; fields?: { type: 'mrkdwn'; text: string }[] }
  | { type: 'divider' }
  | {
      type: 'actions';
      elements: {
        type: 'button';
        text: { type: 'plain_text'; text: string };
        url: string;
        action_id: string;
      }[];
    }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] };

/** The JSON body POSTed to an incoming webhook. */
export interface SlackMessage {
  /** Fallback text for notifications and clients that cannot show blocks. */
  readonly text: string;
  readonly blocks: SlackBlock[];
}

/** Escapes the three characters Slack's mrkdwn reserves. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const EMOJI: Record<IncidentNotification['state'], (severity: 'warn' | 'error') => string> = {
  open: (s) => (s === 'error' ? ':red_circle:' : ':large_orange_circle:'),
  escalated: () => ':red_circle:',
  still_failing: (s) => (s === 'error' ? ':red_circle:' : ':large_orange_circle:'),
  resolved: () => ':white_check_mark:',
};

function header(text: string): SlackBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: clip(text, SLACK_LIMITS.headerText), emoji: true },
  };
}

function button(url: string): SlackBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Open in dashboard' },
        url: clip(url, SLACK_LIMITS.buttonUrl),
        action_id: 'sluice_open_dashboard',
      },
    ],
  };
}

function incidentMessage(n: IncidentNotification, channel: string | undefined): SlackMessage {
  const emoji = EMOJI[n.state](n.severity);
  const blocks: SlackBlock[] = [
    header(`${emoji} ${n.title}`),
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(escapeMrkdwn(n.summary), SLACK_LIMITS.sectionText) },
    },
    {
      type: 'section',
      fields: n.fields.slice(0, SLACK_LIMITS.fields).map((f) => ({
        type: 'mrkdwn' as const,
        text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
      })),
    },
  ];
  if (n.link) blocks.push(button(n.link));
  const status = n.state === 'resolved' ? 'resolved' : `${n.severity}, ${n.state.replace('_', ' ')}`;
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: clip(
          `Sluice monitor · ${status} · incident \`${escapeMrkdwn(n.incidentId)}\`${channel ? ` · ${escapeMrkdwn(channel)}` : ''}`,
          SLACK_LIMITS.sectionText,
        ),
      },
    ],
  });
  return { text: clip(`${n.title}: ${n.summary}`, SLACK_LIMITS.fallbackText), blocks };
}

function digestMessage(n: DigestNotification): SlackMessage {
  const blocks: SlackBlock[] = [
    header(`:clipboard: ${n.title}`),
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(escapeMrkdwn(n.summary), SLACK_LIMITS.sectionText) },
    },
  ];
  // Header, summary, and per owner a divider and a section; keep room for the button.
  const room = Math.floor((SLACK_LIMITS.blocks - 3) / 2);
  for (const group of n.groups.slice(0, room)) {
    blocks.push({ type: 'divider' });
    const lines = group.lines.map((line) => `• ${escapeMrkdwn(line)}`).join('\n');
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*${escapeMrkdwn(group.owner)}*\n${lines}`, SLACK_LIMITS.sectionText),
      },
    });
  }
  if (n.link) blocks.push(button(n.link));
  return { text: clip(`${n.title}: ${n.summary}`, SLACK_LIMITS.fallbackText), blocks };
}

/** The Block Kit message of a notification; `channel` is named in the context line. */
export function slackMessage(notification: AlertNotification, channel?: string): SlackMessage {
  return notification.type === 'digest'
    ? digestMessage(notification)
    : incidentMessage(notification, channel);
}
