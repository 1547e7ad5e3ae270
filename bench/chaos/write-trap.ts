import type { FakeRequest } from '../../lambdas/local/simulator/fake-vendors/fake-api-server.js';
import type { VendorFakes } from '../../lambdas/local/simulator/fake-vendors/vendor-fakes.js';
import { isWrite } from './destination-writes.js';

/**
 * When a trapped write kills the pipeline: `before processing` — the destination never applies the write (it
 * answers 503 or 429 to a process already dead), as when a connection drops on the way; `after answering` —
 * the destination applied and answered it, and the kill comes before the pipeline can record it.
 */
export type TrapMoment = 'before processing' | 'after answering';

/**
 * Kills the pipeline at an exact point of a sync's write, which a timer cannot hit: the fake destinations (in
 * this process) record each request before handling it, so the trap hooks that record and fires synchronously,
 * before the fake has applied or answered the write. The fakes are left as they are otherwise.
 */
export class WriteTrap {
  private armed: { moment: TrapMoment; kill: () => void; fired: () => void } | undefined;

  constructor(fakes: VendorFakes) {
    this.hook(fakes.salesforce.requests, () => (fakes.salesforce.failNext += 1));
    this.hook(fakes.zendesk.requests, () => (fakes.zendesk.rateLimitNext += 1));
  }

  /**
   * Kills with `kill` at the next write, at `moment`; resolves once it has fired, or with `false` after
   * `timeoutMs` without a write (the trap is then disarmed).
   */
  arm(moment: TrapMoment, kill: () => void, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.armed = undefined;
        resolve(false);
      }, timeoutMs);
      this.armed = {
        moment,
        kill,
        fired: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
    });
  }

  private hook(requests: FakeRequest[], refuseNext: () => void): void {
    const push = requests.push.bind(requests);
    requests.push = (...items: FakeRequest[]): number => {
      const length = push(...items);
      const armed = this.armed;
      if (armed && items.some(isWrite)) {
        this.armed = undefined;
        if (armed.moment === 'before processing') {
          refuseNext();
          armed.kill();
          armed.fired();
        } else
          setImmediate(() => {
            armed.kill();
            armed.fired();
          });
      }
      return length;
    };
  }
}
