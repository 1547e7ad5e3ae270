import { describe, expect, it } from 'vitest';
import { isKeyColumn, KeyBag } from '../../../lambdas/core/trace/model-lineage.js';

describe('lineage keys', () => {
  it('follows identity columns and leaves measures alone', () => {
    expect(['event_id', 'account_id', 'id', 'match_key', 'health_score', 'paid'].map(isKeyColumn)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('takes a Segment group id as the account it names', () => {
    const bag = new KeyBag();
    bag.addRow({ group_id: 'acc_1', user_id: 'u1', event_name: 'Signed Up' });
    expect([bag.get('account_id'), bag.get('user_id'), bag.has('event_name')]).toEqual([
      ['acc_1'],
      ['u1'],
      false,
    ]);
  });
});
