// How a tick's launch becomes runs: partitions only their age makes due go into a forced run
// with the launched partitions connected to them; the rest into an ordinary run. And the tick
// entries: one per asset and rule, with the most common reason.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, type AssetKey, type AutomationRule } from '../../src/definitions/index.js';
import { groupByAsset, splitRuns } from '../../src/automation/launch-runs.js';
import type { Want } from '../../src/automation/wants.js';
import { graphOf } from '../support/engine.js';

// raw -> clean -> metrics <- feed;  other
const number = (key: string, deps: Record<string, never> = {}) =>
  asset({ key, deps, schema: z.number(), codeVersion: '1', compute: () => 1 });
const raw = number('raw');
const clean = number('clean', { raw } as never);
const feed = number('feed');
const metrics = number('metrics', { clean, feed } as never);
const other = number('other');
const graph = graphOf([raw, clean, feed, metrics, other]);

/** `key` (stale) or `key!` (refresh). */
const item = (name: string, rule: AutomationRule = 'freshness'): Want => ({
  key: name.replace('!', '') as AssetKey,
  partition: '',
  rule,
  reason: 'r',
  refresh: name.endsWith('!'),
});

describe('splitRuns', () => {
  it.each([
    { items: ['clean', 'metrics'], normal: ['clean', 'metrics'], forced: [] },
    { items: ['metrics!'], normal: [], forced: ['metrics'] },
    {
      items: ['raw', 'clean', 'metrics!', 'other'],
      normal: ['other'],
      forced: ['raw', 'clean', 'metrics'],
    },
    { items: ['raw', 'feed!'], normal: ['raw'], forced: ['feed'] },
    { items: ['feed!', 'clean', 'metrics'], normal: [], forced: ['feed', 'clean', 'metrics'] },
  ])('$items -> normal $normal, forced $forced', ({ items, normal, forced }) => {
    const runs = splitRuns(
      items.map((name) => item(name)),
      graph,
    );
    expect(runs.normal.map((i) => i.key)).toEqual(normal);
    expect(runs.forced.map((i) => i.key)).toEqual(forced);
  });
});

describe('groupByAsset', () => {
  it('gives one entry per asset and rule, with the most common reason', () => {
    const entries = groupByAsset([
      { key: 'daily' as AssetKey, partition: 'd1', rule: 'on-cron', reason: 'missing' },
      { key: 'daily' as AssetKey, partition: 'd2', rule: 'on-cron', reason: 'code changed' },
      { key: 'daily' as AssetKey, partition: 'd3', rule: 'on-cron', reason: 'code changed' },
      { key: 'daily' as AssetKey, partition: 'd4', rule: 'freshness', reason: 'overdue by 1m' },
      { key: 'metrics' as AssetKey, partition: '', reason: 'already running' },
    ]);
    expect(entries).toEqual([
      {
        key: 'daily',
        rule: 'on-cron',
        partitions: ['d1', 'd2', 'd3'],
        reason: 'code changed (and 1 other reason(s))',
      },
      { key: 'daily', rule: 'freshness', partitions: ['d4'], reason: 'overdue by 1m' },
      { key: 'metrics', partitions: [], reason: 'already running' },
    ]);
  });
});
