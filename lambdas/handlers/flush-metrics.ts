import type { MiddlewareObj } from '@middy/core';
import type { Metrics } from '../core/ports.js';

/** A middy middleware that publishes the invocation's buffered metrics after it, whatever its outcome. */
export function flushMetrics(metrics: Metrics): MiddlewareObj {
  const flush = async (): Promise<void> => {
    await metrics.flush();
  };
  return { after: flush, onError: flush };
}
