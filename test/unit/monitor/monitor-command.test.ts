import { describe, expect, it } from 'vitest';
import { monitorReport } from '../../../lambdas/local/commands/monitor.js';

describe('sluice monitor', () => {
  it('prints one line per result, then the incidents that changed and a summary', () => {
    const report = monitorReport({
      runId: 'run-1',
      at: '2026-11-24T10:00:00.000Z',
      failures: [],
      incidents: [
        { key: 'freshness|raw.stripe', incidentId: 'i1', type: 'opened', severity: 'warn', notified: true },
      ],
      results: [
        {
          monitor: 'freshness',
          kind: 'freshness',
          table: 'raw.stripe',
          dimension: null,
          at: '2026-11-24T10:00:00.000Z',
          observed: 95,
          expected: null,
          score: null,
          status: 'warn',
          explanation: 'The newest row of raw.stripe is 1 h 35 min old.',
          details: {},
          owner: '@revops',
        },
      ],
    });
    const lines = report.split('\n');
    expect(lines[2]).toMatch(/^WARN\s+freshness\s+raw\.stripe\s+2026-11-24T10:00\s+95\s+The newest row/);
    expect(lines).toContain('  opened    warn  freshness|raw.stripe (alert sent)');
    expect(lines.at(-1)).toBe(
      '1 result(s), 1 failing (run run-1; history in ops.monitor_results, incidents in ops.alerts)',
    );
  });
});
