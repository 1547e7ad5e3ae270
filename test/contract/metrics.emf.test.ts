/**
 * Runs the Metrics contract against {@link EmfMetrics}, reading back the EMF documents it writes to stdout.
 * Every EMF metric also carries the adapter's own `service` dimension; the probe leaves it out so the points
 * compare with what the suite recorded, and a separate case checks the namespace and that dimension.
 */
import { describe, expect, it } from 'vitest';
import { EmfMetrics } from '../../lambdas/adapters/aws/emf-metrics.js';
import { captureEmf } from './fakes/emf-stdout-probe.js';
import { metricsContract } from './suites/metrics-contract.js';

metricsContract('CloudWatch EMF (stdout)', async () => {
  const probe = captureEmf(['service']);
  return {
    metrics: new EmfMetrics({ serviceName: 'contract' }),
    emitted: async () => probe.emitted(),
    teardown: async () => probe.stop(),
  };
});

describe('EmfMetrics on stdout', () => {
  it('publishes in the Sluice namespace with the service dimension', async () => {
    const probe = captureEmf();
    try {
      const metrics = new EmfMetrics({ serviceName: 'contract' });
      metrics.record('events_accepted', 1, 'Count', { source: 'stripe' });
      await metrics.flush();
      expect(probe.namespaces()).toEqual(['Sluice']);
      expect(probe.emitted()).toEqual([
        {
          name: 'events_accepted',
          value: 1,
          unit: 'Count',
          dimensions: { service: 'contract', source: 'stripe' },
        },
      ]);
    } finally {
      probe.stop();
    }
  });
});
