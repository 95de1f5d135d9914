// Which steps chain fusion computes in memory right after the step before them
// (src/executor/fusion-decision.ts), without a database: every reason a line of fused steps ends,
// and the step that is fused.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, producedPartitions, slurm } from '../../src/definitions/index.js';
import { fusionVerdict, type FusionStop } from '../../src/executor/fusion-decision.js';
import type { ChainSuccessor } from '../../src/executor/sql/chain-successors.js';
import type { StepRow, StepStatus } from '../../src/store/index.js';
import { graphOf } from '../support/engine.js';

const head = asset({ key: 'head', codeVersion: '1', schema: z.number(), compute: () => 1 });
const next = asset({
  key: 'next',
  codeVersion: '1',
  deps: { head },
  schema: z.number(),
  compute: (ctx) => ctx.inputs.head + 1,
});
const onSlurm = asset({
  key: 'on_slurm',
  codeVersion: '1',
  deps: { head },
  executor: slurm({ partition: 'debug' }),
  schema: z.number(),
  compute: () => 1,
});
const producer = asset({
  key: 'producer',
  codeVersion: '1',
  deps: { head },
  schema: z.array(z.string()),
  compute: () => ['a'],
});
const produced = asset({
  key: 'produced',
  codeVersion: '1',
  deps: { producer },
  partitions: producedPartitions(producer, (keys) => keys),
  schema: z.number(),
  compute: () => 1,
});
const graph = graphOf([head, next, onSlurm, producer, produced]);

function successor(
  step: Partial<StepRow> = {},
  history: Partial<Omit<ChainSuccessor, 'step' | 'latest'>> = {},
): ChainSuccessor {
  return {
    step: {
      id: 2,
      run_id: 1,
      asset_key: 'next',
      partition_key: '',
      status: 'waiting' as StepStatus,
      deps_remaining: 1,
      pool: null,
      code_version: '1',
      ...step,
    } as StepRow,
    lastDurationMs: 1,
    lastCalledTools: false,
    lastStoredArtifacts: false,
    latest: null,
    ...history,
  };
}

describe('fusionVerdict', () => {
  const cases: [string, ChainSuccessor, number, boolean, FusionStop | 'fuse'][] = [
    ['a fast waiting step of this worker', successor(), 40, false, 'fuse'],
    ['any step once the worker stops', successor(), 40, true, 'stopping'],
    ...(
      ['queued', 'running', 'retrying', 'succeeded', 'failed', 'skipped', 'canceled'] as const
    ).map((status): [string, ChainSuccessor, number, boolean, FusionStop] => [
      `a ${status} step`,
      successor({ status }),
      40,
      false,
      'not waiting on the step before alone',
    ]),
    [
      'a step waiting on two steps',
      successor({ deps_remaining: 2 }),
      40,
      false,
      'not waiting on the step before alone',
    ],
    ['a pooled step', successor({ pool: 'gpu' }), 40, false, 'in a pool'],
    [
      'an asset this worker lacks',
      successor({ asset_key: 'other' }),
      40,
      false,
      'unknown to this worker',
    ],
    [
      'a step planned with another code version',
      successor({ code_version: '2' }),
      40,
      false,
      'planned with another code version',
    ],
    ['a step that runs on Slurm', successor({ asset_key: 'on_slurm' }), 40, false, 'runs on Slurm'],
    [
      'a producer of partitions',
      successor({ asset_key: 'producer' }),
      40,
      false,
      'produces partitions',
    ],
    [
      'a step never computed before',
      successor({}, { lastDurationMs: null }),
      40,
      false,
      'never computed before',
    ],
    [
      'a step slower than the window left',
      successor({}, { lastDurationMs: 40 }),
      40,
      false,
      'slow last time',
    ],
    [
      'any step once the window is over',
      successor({}, { lastDurationMs: 0 }),
      -1,
      false,
      'slow last time',
    ],
    [
      'a step that called tools',
      successor({}, { lastCalledTools: true }),
      40,
      false,
      'called tools or stored artifacts last time',
    ],
    [
      'a step that stored artifacts',
      successor({}, { lastStoredArtifacts: true }),
      40,
      false,
      'called tools or stored artifacts last time',
    ],
  ];
  it.each(cases)('%s', (_name, candidate, remainingMs, stopping, expected) => {
    const verdict = fusionVerdict(graph, candidate, remainingMs, stopping);
    expect(verdict.fuse ? 'fuse' : verdict.stop).toBe(expected);
  });
});
