// The lineage UI's chart and selection helpers, without a browser: partition keys written as
// ranges, the time axis of a single instant, round time ticks, the categorical partition axis
// and the grid's selection (clicks, toggles, Shift ranges).
import { describe, expect, it } from 'vitest';
import { partitionAxis } from '../../lineage/src/charts/partition-axis.js';
import { TIME_PAD_MS, timeExtent, timeTicks } from '../../lineage/src/charts/scale.js';
import { PartitionSelection } from '../../lineage/src/components/partition-selection.js';
import { formatKeyRanges, keyRuns, naturalSort } from '../../lineage/src/partition-ranges.js';

const keys = (n: number, prefix = 'd') =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);

describe('partition key ranges', () => {
  it('writes consecutive keys as one range, in natural order', () => {
    expect(formatKeyRanges(keys(16).reverse())).toBe('d01..d16');
    expect(naturalSort(['p10', 'p9', 'p1'])).toEqual(['p1', 'p9', 'p10']);
    expect(formatKeyRanges(['p8', 'p9', 'p10', 'p11'])).toBe('p8..p11');
  });

  it('keeps gaps, other prefixes, widths and keys without a number apart', () => {
    expect(formatKeyRanges(['d01', 'd02', 'd03', 'd05', 'd07', 'd08'])).toBe(
      'd01..d03, d05, d07..d08',
    );
    expect(keyRuns(['a1', 'b2', 'north', 'south'])).toEqual([
      ['a1', 'a1'],
      ['b2', 'b2'],
      ['north', 'north'],
      ['south', 'south'],
    ]);
    expect(keyRuns(['x09', 'x010'])).toEqual([
      ['x09', 'x09'],
      ['x010', 'x010'],
    ]);
    expect(formatKeyRanges(['2026-01-01', '2026-01-02'])).toBe('2026-01-01..2026-01-02');
  });

  it('ends a long list of runs with an ellipsis', () => {
    expect(formatKeyRanges(['a', 'b', 'c', 'd', 'e', 'f'], 4)).toBe('a, b, c, d, …');
  });
});

describe('the time axis', () => {
  const now = Date.parse('2026-12-03T09:33:28.412Z');

  it('gives a single instant a window of minutes, not a fraction of the epoch', () => {
    expect(timeExtent([now])).toEqual([now - TIME_PAD_MS, now + TIME_PAD_MS]);
    expect(timeExtent([now, now, now + 200])).toEqual([now - TIME_PAD_MS, now + 200 + TIME_PAD_MS]);
    expect(timeExtent([now, now + 3_600_000])).toEqual([now, now + 3_600_000]);
  });

  it('puts ticks on round clock times labelled as such', () => {
    const [t0, t1] = timeExtent([now]);
    const ticks = timeTicks(t0, t1, 3);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const tick of ticks) {
      expect(tick.time).toBeGreaterThanOrEqual(t0);
      expect(tick.time).toBeLessThanOrEqual(t1);
      expect(new Date(tick.time).getSeconds()).toBe(0);
      expect(tick.label).toMatch(/^\d{2}:\d{2}$/);
    }
  });

  it('labels ticks days apart with dates, and seconds apart with seconds', () => {
    const days = timeTicks(now, now + 10 * 86_400_000, 3);
    for (const tick of days) {
      expect(new Date(tick.time).getHours()).toBe(0);
      expect(tick.label).not.toMatch(/:/);
    }
    const seconds = timeTicks(now, now + 20_000, 4);
    for (const tick of seconds) expect(tick.label).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(timeTicks(now, now)).toEqual([]);
  });
});

describe('the partition axis', () => {
  it('gives each key a slot in natural order and labels every key when they fit', () => {
    const axis = partitionAxis(['b', 'a', 'c', 'a'], 0, 300);
    expect(axis.keys).toEqual(['a', 'b', 'c']);
    expect(axis.slanted).toBe(false);
    expect(axis.labels.map((l) => [l.key, l.x])).toEqual([
      ['a', 50],
      ['b', 150],
      ['c', 250],
    ]);
  });

  it('slants crowded labels, cuts long ones and thins them to every k-th', () => {
    const many = keys(60, 'c');
    const axis = partitionAxis(many, 0, 346);
    expect(axis.slanted).toBe(true);
    const step = many.indexOf(axis.labels[1]!.key);
    expect(step).toBeGreaterThan(1);
    expect(axis.labels.map((l) => l.key)).toEqual(many.filter((_, i) => i % step === 0));
    const long = partitionAxis(['a-very-long-partition-key', 'b'], 0, 100);
    expect(long.labels[0]!.text).toBe('a-very-long-p…');
  });
});

describe('the partitions grid selection', () => {
  const order = keys(8);

  it('selects one on a click, toggles with Ctrl and adds a range with Shift', () => {
    const selection = new PartitionSelection();
    selection.only('d03');
    selection.extendTo('d05', order);
    expect(selection.keys()).toEqual(['d03', 'd04', 'd05']);
    selection.toggle('d04');
    expect(selection.keys()).toEqual(['d03', 'd05']);
    // From the last toggled key backwards.
    selection.extendTo('d02', order);
    expect(selection.keys().sort()).toEqual(['d02', 'd03', 'd04', 'd05']);
    selection.only('d08');
    expect(selection.keys()).toEqual(['d08']);
  });

  it('treats Shift without a shown anchor as a plain click', () => {
    const selection = new PartitionSelection();
    selection.extendTo('d06', order);
    expect(selection.keys()).toEqual(['d06']);
    selection.clear();
    expect(selection.size).toBe(0);
    selection.extendTo('d02', order);
    expect(selection.keys()).toEqual(['d02']);
  });
});
