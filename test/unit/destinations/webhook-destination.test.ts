import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookDestination } from '../../../lambdas/destinations/webhook/webhook-destination.js';
import { verifySluiceSignature } from '../../../lambdas/sources/generic/signature.js';
import {
  startFakeServer,
  type FakeAnswer,
  type FakeServer,
} from '../../../lambdas/local/simulator/fake-vendors/fake-api-server.js';
import { FixedClock } from '../../support/memory-ports.js';

const target = { object: 'accounts', matchField: 'account_id' };
const SECRET = 'webhook-destination-secret';
let server: FakeServer;
let answer: FakeAnswer;
let destination: WebhookDestination;

beforeEach(async () => {
  answer = { status: 204 };
  server = await startFakeServer(() => answer);
  destination = new WebhookDestination({
    url: `${server.url}/hooks/sluice`,
    secret: SECRET,
    http: fetch,
    clock: new FixedClock(new Date('2026-11-24T10:00:00Z')),
  });
});
afterEach(() => server.close());

describe('WebhookDestination', () => {
  it('posts a batch signed with X-Sluice-Signature', async () => {
    await destination.write(target, [{ key: 'a1', fields: { health_score: 70 } }]);
    const request = server.requests[0]!;
    expect(
      verifySluiceSignature(String(request.headers['x-sluice-signature']), Buffer.from(request.body), SECRET),
    ).toEqual({
      ok: true,
    });
  });

  it('sends the object, match field, operation and records as JSON', async () => {
    await destination.write(target, [{ key: 'a1', fields: { health_score: 70 } }]);
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      object: 'accounts',
      matchField: 'account_id',
      operation: 'upsert',
      records: [{ key: 'a1', fields: { health_score: 70 } }],
    });
  });

  it('refuses the whole batch with the status of a 4xx answer', async () => {
    answer = { status: 422, body: { error: 'bad' } };
    expect(await destination.write(target, [{ key: 'a1', fields: {} }])).toEqual([
      { key: 'a1', ok: false, error: 'HTTP 422: {"error":"bad"}' },
    ]);
  });

  it('posts deletes with operation delete', async () => {
    await destination.remove(target, ['a1']);
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({
      operation: 'delete',
      records: [{ key: 'a1' }],
    });
  });
});
