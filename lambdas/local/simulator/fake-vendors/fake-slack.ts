import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the fake accepted. */
export interface SlackPost {
  readonly text: string | undefined;
  readonly blocks: readonly Record<string, unknown>[];
  /** The header block's text, for quick assertions. */
  readonly header: string | undefined;
}

const BLOCK_TYPES = new Set(['header', 'section', 'divider', 'actions', 'context', 'image', 'rich_text']);

interface TextObject {
  type?: unknown;
  text?: unknown;
}

function textOf(value: unknown, max: number, path: string, types: readonly string[]): string | undefined {
  const object = value as TextObject | undefined;
  if (!object || typeof object !== 'object') return `${path} must be a text object`;
  if (!types.includes(String(object.type))) return `${path}.type must be ${types.join(' or ')}`;
  if (typeof object.text !== 'string' || object.text.length === 0)
    return `${path}.text must be a non-empty string`;
  if ([...object.text].length > max) return `${path}.text must be at most ${max} characters`;
  return undefined;
}

/**
 * Why Slack would refuse these blocks (`invalid_blocks`), or undefined: the Block Kit reference's rules for the
 * blocks alerts use — at most 50 blocks; header plain_text ≤ 150; section text ≤ 3000 and ≤ 10 fields of ≤ 2000;
 * a section needs text or fields; actions with ≤ 25 elements, button text ≤ 75 and URL ≤ 3000; context ≤ 10
 * elements.
 */
export function blockKitProblem(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return 'blocks must be an array';
  if (blocks.length > 50) return 'at most 50 blocks';
  for (const [i, block] of blocks.entries()) {
    const b = block as Record<string, unknown>;
    const path = `blocks[${i}]`;
    if (!b || typeof b !== 'object' || !BLOCK_TYPES.has(String(b['type'])))
      return `${path}.type is not a block type`;
    if (b['block_id'] !== undefined && (typeof b['block_id'] !== 'string' || b['block_id'].length > 255))
      return `${path}.block_id is invalid`;
    switch (b['type']) {
      case 'header': {
        const problem = textOf(b['text'], 150, `${path}.text`, ['plain_text']);
        if (problem) return problem;
        break;
      }
      case 'section': {
        if (b['text'] === undefined && b['fields'] === undefined) return `${path} needs text or fields`;
        if (b['text'] !== undefined) {
          const problem = textOf(b['text'], 3000, `${path}.text`, ['mrkdwn', 'plain_text']);
          if (problem) return problem;
        }
        if (b['fields'] !== undefined) {
          const fields = b['fields'];
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > 10)
            return `${path}.fields: 1 to 10`;
          for (const [j, field] of fields.entries()) {
            const problem = textOf(field, 2000, `${path}.fields[${j}]`, ['mrkdwn', 'plain_text']);
            if (problem) return problem;
          }
        }
        break;
      }
      case 'actions': {
        const elements = b['elements'];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25)
          return `${path}.elements: 1 to 25`;
        for (const [j, element] of elements.entries()) {
          const e = element as Record<string, unknown>;
          if (e['type'] !== 'button') continue;
          const problem = textOf(e['text'], 75, `${path}.elements[${j}].text`, ['plain_text']);
          if (problem) return problem;
          if (e['url'] !== undefined && (typeof e['url'] !== 'string' || e['url'].length > 3000))
            return `${path}.elements[${j}].url is invalid`;
        }
        break;
      }
      case 'context': {
        const elements = b['elements'];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10)
          return `${path}.elements: 1 to 10`;
        for (const [j, element] of elements.entries()) {
          const problem = textOf(element, 3000, `${path}.elements[${j}]`, ['mrkdwn', 'plain_text']);
          if (problem) return problem;
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/**
 * A Slack incoming webhook on loopback, answering as Slack documents: `200 ok` for an accepted message,
 * `400 invalid_payload` for a body that is not JSON, `400 no_text` for a message with neither `text` nor
 * `blocks`, `400 invalid_blocks` for blocks Block Kit refuses (see {@link blockKitProblem}), `404
 * no_service` for another path, and `429` with `Retry-After` when told to rate-limit. Accepted messages are
 * kept in {@link messages}; refusals, with the reason, in {@link refusals}.
 */
export class FakeSlack {
  readonly messages: SlackPost[] = [];
  readonly refusals: { status: number; reason: string }[] = [];
  /** The path of the one webhook this fake serves. */
  readonly path = '/services/T0000SLUICE/B0000ALERTS/fakeWebhookToken0000000';
  private rateLimited: { remaining: number; retryAfter: number } = { remaining: 0, retryAfter: 0 };
  private server: Server | undefined;
  private base = '';

  /** Starts listening on 127.0.0.1; resolves with the webhook URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (status: number, body: string, headers: Record<string, string> = {}): void => {
          if (status !== 200) this.refusals.push({ status, reason: body });
          res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
          res.end(body);
        };
        if (req.method !== 'POST' || req.url !== this.path) return answer(404, 'no_service');
        if (this.rateLimited.remaining > 0) {
          this.rateLimited.remaining -= 1;
          return answer(429, 'rate_limited', { 'retry-after': String(this.rateLimited.retryAfter) });
        }
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
          return answer(400, 'invalid_payload');
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          return answer(400, 'invalid_payload');
        }
        if (body === null || typeof body !== 'object') return answer(400, 'invalid_payload');
        const text = body['text'];
        if ((typeof text !== 'string' || text === '') && body['blocks'] === undefined)
          return answer(400, 'no_text');
        if (body['blocks'] !== undefined) {
          const problem = blockKitProblem(body['blocks']);
          if (problem) return answer(400, `invalid_blocks: ${problem}`);
        }
        const blocks = (body['blocks'] ?? []) as Record<string, unknown>[];
        const header = blocks.find((b) => b['type'] === 'header') as { text?: { text?: string } } | undefined;
        this.messages.push({
          text: typeof text === 'string' ? text : undefined,
          blocks,
          header: header?.text?.text,
        });
        answer(200, 'ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.webhookUrl;
  }

  /** The incoming webhook URL. */
  get webhookUrl(): string {
    return `${this.base}${this.path}`;
  }

  /** Answers the next `count` posts with 429 and `Retry-After: retryAfter` (seconds). */
  rateLimit(count: number, retryAfter: number): void {
    this.rateLimited = { remaining: count, retryAfter };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
