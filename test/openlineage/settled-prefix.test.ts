// Where delivery may go up to after a cursor: ids right after it at once; past a gap (an id a
// transaction may still commit) only once the event after the gap is old enough.
import { describe, expect, it } from 'vitest';
import { settledPrefixEnd } from '../../src/openlineage/index.js';

const NOW = new Date('2026-01-31T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const SETTLE = 10_000;

describe('settledPrefixEnd', () => {
  it.each([
    ['nothing after the cursor', 5, [], 5],
    [
      'contiguous ids',
      5,
      [
        [6, 0],
        [7, 0],
        [8, 0],
      ],
      8,
    ],
    [
      'a fresh gap holds back what follows',
      5,
      [
        [6, 0],
        [8, 0],
        [9, 0],
      ],
      6,
    ],
    ['a gap right after the cursor', 5, [[7, 0]], 5],
    [
      'a settled gap is passed',
      5,
      [
        [6, 0],
        [8, SETTLE],
        [9, 0],
      ],
      9,
    ],
    [
      'a second, fresh gap stops again',
      5,
      [
        [7, SETTLE + 1],
        [8, 0],
        [10, 0],
      ],
      8,
    ],
  ] as const)('%s', (_what, cursor, seen, end) => {
    const rows = seen.map(([id, age]) => ({ id, created_at: ago(age) }));
    expect(settledPrefixEnd(cursor, rows, NOW, SETTLE)).toBe(end);
  });
});
