import { describe, expect, it } from 'vitest';
import { changedTables, runForEvent } from '../../../lambdas/core/transform/transform-trigger.js';

describe('what an event asks the transform step to build', () => {
  it('lists the raw tables a load inserted rows into', () => {
    const detail = {
      tables: {
        'raw.stripe': { files: 2, rows: 10 },
        'raw.segment': { files: 1, rows: 0 },
        'ops.quarantine': { files: 1, rows: 3 },
      },
    };
    expect(changedTables(detail)).toEqual(['raw.stripe']);
  });

  it('builds downstream of the changed tables after a load', () => {
    expect(runForEvent('sluice.load.completed', { tables: { 'raw.zendesk': { rows: 1 } } })).toEqual({
      changedTables: ['raw.zendesk'],
      trigger: 'load',
    });
  });

  it('builds nothing after a load that inserted nothing', () => {
    expect(runForEvent('sluice.load.completed', { tables: { 'raw.zendesk': { rows: 0 } } })).toBeUndefined();
  });

  it('builds the models a previous run deferred', () => {
    expect(runForEvent('sluice.transform.completed', { deferred: ['a', 'b'] })).toEqual({
      select: 'a b',
      trigger: 'continuation',
    });
  });

  it('builds nothing after a run that deferred nothing', () => {
    expect(runForEvent('sluice.transform.completed', { changed: ['marts.x'] })).toBeUndefined();
  });

  it('builds everything on a schedule', () => {
    expect(runForEvent('Scheduled Event', {})).toEqual({ trigger: 'schedule' });
  });
});
