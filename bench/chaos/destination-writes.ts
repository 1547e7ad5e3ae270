import type { FakeRequest } from '../../lambdas/local/simulator/fake-vendors/fake-api-server.js';
import type { VendorFakes } from '../../lambdas/local/simulator/fake-vendors/vendor-fakes.js';

/**
 * Whether a request to a fake destination writes records: Salesforce collections upserts and updates, Bulk
 * API ingest job creations, and Zendesk bulk writes.
 */
export function isWrite(request: FakeRequest): boolean {
  return (
    (request.method === 'PATCH' && request.path.includes('/composite/sobjects')) ||
    (request.method === 'POST' && /\/jobs\/ingest$/.test(request.path)) ||
    /\/(create_or_update_many|update_many|destroy_many)\.json$/.test(request.path)
  );
}

/**
 * Write calls the fake destinations have received so far. The chaos bench watches this count to kill the
 * pipeline while a sync is writing rather than while it is still computing its diff.
 */
export function destinationWrites(fakes: VendorFakes): number {
  return [...fakes.salesforce.requests, ...fakes.zendesk.requests].filter(isWrite).length;
}

/**
 * Resolves once the destinations have received more than `before` write calls (`true`), or after `timeoutMs`
 * without one (`false`): a sync with nothing to send never writes.
 */
export async function waitForWrite(fakes: VendorFakes, before: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (destinationWrites(fakes) <= before) {
    if (Date.now() > deadline) return false;
    await new Promise<void>((r) => setTimeout(r, 5));
  }
  return true;
}
