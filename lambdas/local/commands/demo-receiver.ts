import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SyncConfig } from '../../core/config/config-types.js';

/**
 * The demo's reverse-ETL sync: the starter health scores to the demo's stand-in CRM through the webhook
 * destination, so the dashboard's sync panel has runs without any vendor account.
 */
export const DEMO_SYNC: SyncConfig = {
  name: 'customer_health_to_demo_crm',
  model: 'marts.customer_health',
  destination: 'webhook',
  object: 'Account',
  matchKey: { destinationField: 'account_id', modelColumn: 'account_id' },
  fields: { health_score: 'health_score', mrr: 'mrr', days_until_renewal: 'days_until_renewal' },
};

/** A running stand-in CRM. */
export interface DemoReceiver {
  readonly url: string;
  readonly secret: string;
  /** Records accepted so far. */
  readonly received: () => number;
  close(): Promise<void>;
}

/**
 * A stand-in CRM on loopback for `sluice start --demo`: accepts the webhook destination's signed batches
 * (`X-Sluice-Signature: sha256=<hex HMAC-SHA256 of the body>`, checked in constant time) with 200, refuses
 * unsigned or mis-signed ones with 401, and keeps only a count.
 */
export async function startDemoReceiver(): Promise<DemoReceiver> {
  const secret = randomBytes(24).toString('hex');
  let received = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-sluice-signature'] ?? ''));
      if (req.method !== 'POST' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad_signature"}');
        return;
      }
      try {
        received += (JSON.parse(body.toString('utf8')) as { records?: unknown[] }).records?.length ?? 0;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad_json"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/crm/accounts`,
    secret,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
