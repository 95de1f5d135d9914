// The backfill pages' rules without a browser: which actions a backfill offers in each status,
// who may use them (a role that may run, on a server that is not read-only), the filters and
// counts in words.
import { describe, expect, it } from 'vitest';
import type { BackfillCounts, Session } from '../../lineage/src/api/types.js';
import { applicableActions } from '../../lineage/src/backfills/backfill-applicable-actions.js';
import { backfillPermission } from '../../lineage/src/backfills/backfill-permission.js';
import { countsInWords, filtersInWords } from '../../lineage/src/backfills/backfill-words.js';

function counts(done: number, failed = 0, held = 0, launched = 0, pending = 0): BackfillCounts {
  const remaining = pending + launched;
  return {
    targets: done + failed + held + remaining,
    pending,
    launched,
    done,
    failed,
    held,
    remaining,
  };
}

describe('backfill actions', () => {
  it('offers only what the server accepts in each status', () => {
    expect(applicableActions({ status: 'running', totals: counts(1, 0, 0, 1, 2) })).toEqual([
      'pause',
      'cancel',
    ]);
    expect(applicableActions({ status: 'paused', totals: counts(1, 1) })).toEqual([
      'resume',
      'retry',
      'cancel',
    ]);
    expect(applicableActions({ status: 'failed', totals: counts(3, 0, 1) })).toEqual(['retry']);
    expect(applicableActions({ status: 'succeeded', totals: counts(4) })).toEqual([]);
    expect(applicableActions({ status: 'canceled', totals: counts(1, 2) })).toEqual([]);
  });

  it('lets a role that may run act, shows them disabled on a read-only server, hides them otherwise', () => {
    const session = (role: Session['role'], readOnly = false): Session => ({
      name: `${role}-1`,
      role,
      capabilities: role === 'viewer' || role === 'planner' ? ['read'] : ['read', 'run'],
      readOnly,
    });
    expect(backfillPermission(session('operator')).kind).toBe('allowed');
    expect(backfillPermission(session('admin', true)).kind).toBe('read-only');
    expect(backfillPermission(session('viewer')).kind).toBe('forbidden');
    expect(backfillPermission(session('planner', true)).kind).toBe('forbidden');
    expect(backfillPermission(undefined).kind).toBe('forbidden');
  });
});

describe('backfills in words', () => {
  it('writes the filters as the CLI does', () => {
    expect(filtersInWords({})).toBe('none (every partition)');
    expect(filtersInWords({ from: 'd03', to: 'd10', missing: true, force: true })).toBe(
      '--from d03 · --to d10 · only missing',
    );
    expect(filtersInWords({ partitions: ['a', 'b'], failed: true })).toBe(
      '--partition a, b · only failed',
    );
  });

  it('counts done, failed, held and remaining, with those in flight', () => {
    expect(countsInWords(counts(12, 1, 0, 2, 1))).toBe(
      '12 done · 1 failed · 0 held · 3 remaining (2 in flight)',
    );
    expect(countsInWords(counts(4))).toBe('4 done · 0 failed · 0 held · 0 remaining');
  });
});
