// `strata automation history`'s OBSERVED column: what a tick observed, counted in assets and
// partitions (an entry is one asset, or several partitions of one), or what changed.
import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/render/colors.js';
import { renderTickHistory } from '../../src/cli/render/tick-view.js';
import type { AutomationTickRow, ObservedEntry } from '../../src/store/index.js';

const NOW = new Date('2026-12-03T12:00:00Z');

function tick(observed: ObservedEntry[]): AutomationTickRow {
  return {
    id: 1,
    daemon_id: 'd',
    host: 'h',
    started_at: new Date('2026-12-03T11:59:50Z'),
    finished_at: new Date('2026-12-03T11:59:51Z'),
    status: 'succeeded',
    evaluated_assets: 2,
    evaluated_partitions: 5,
    run_id: null,
    launched: [],
    held: [],
    error: null,
    observed,
  };
}

const unchanged = (key: string, partitions: string[] = []): ObservedEntry => ({
  key,
  partitions,
  outcome: 'unchanged',
  dataVersion: 'a'.repeat(64),
});

describe('renderTickHistory: OBSERVED', () => {
  const cases: { name: string; observed: ObservedEntry[]; shown: string }[] = [
    { name: 'nothing observed', observed: [], shown: '-' },
    { name: 'one asset', observed: [unchanged('weather')], shown: '1 asset unchanged' },
    {
      name: 'the partitions of one asset',
      observed: [unchanged('design', ['d1', 'd2', 'd3', 'd4'])],
      shown: '4 partitions unchanged',
    },
    {
      name: 'assets and partitions',
      observed: [unchanged('weather'), unchanged('prices'), unchanged('design', ['d1'])],
      shown: '2 assets and 1 partition unchanged',
    },
    {
      name: 'a change among them',
      observed: [
        unchanged('design', ['d1', 'd2']),
        { key: 'design', partitions: ['d3'], outcome: 'new', dataVersion: 'b'.repeat(64) },
      ],
      shown: 'design[d3]: new version',
    },
  ];
  it.each(cases)('$name', ({ observed, shown }) => {
    const [, row] = renderTickHistory([tick(observed)], createColors(false), NOW);
    expect(row!.split(/\s{2,}/)[4]).toBe(shown);
  });
});
