// The pure decisions of a completion (src/executor/completion-decision.ts), without a database:
// which batches the server-side function takes, each outcome in its terms, and the event that
// tells the run's log how the step ended.
import { describe, expect, it } from 'vitest';
import type { ClaimedStep } from '../../src/executor/claim-steps.js';
import {
  fitsOneCall,
  oneCallOutcome,
  type CompletedStep,
  type StepOutcome,
} from '../../src/executor/completion-decision.js';
import type { MaterializationRecord } from '../../src/provenance/index.js';
import type { RunRow, StepRow } from '../../src/store/index.js';

function claim(pool: string | null = null): ClaimedStep {
  return {
    step: { id: 5, run_id: 1, asset_key: 'mesh', partition_key: 'd01', pool } as StepRow,
    run: { id: 1 } as RunRow,
    runOptions: { concurrency: 1, force: false, partitions: [] },
    attemptId: 50,
    attemptNumber: 1,
  };
}

function record(fields: Partial<MaterializationRecord> = {}): MaterializationRecord {
  return {
    assetKey: 'mesh',
    partitionKey: 'd01',
    runId: 1,
    stepId: 5,
    attemptId: 50,
    codeVersion: 'v1',
    dataVersion: 'abcdef0123456789',
    inputHash: 'in-1',
    value: 1,
    valueArtifact: null,
    valueSize: 1,
    metadata: {},
    partitionKeys: null,
    reusedFrom: null,
    startedAt: null,
    finishedAt: new Date(0),
    host: null,
    workerId: null,
    gitCommit: null,
    inputs: [],
    ...fields,
  };
}

const ARTIFACT = {
  artifact: `sha256:${'a'.repeat(64)}`,
  name: 'mesh.vtk',
  size: 1,
  contentType: 'x',
};

const CASES: {
  case: string;
  outcome: StepOutcome;
  pool?: string;
  fits: boolean;
  status: string;
  kind: string;
  message: string;
  toolCalls: boolean;
}[] = [
  {
    case: 'computed',
    outcome: { kind: 'succeeded', record: record(), artifacts: [] },
    fits: true,
    status: 'succeeded',
    kind: 'step_materialized',
    message: 'mesh[d01] materialized (data abcdef012345)',
    toolCalls: false,
  },
  {
    case: 'computed with tool calls, in a pool',
    outcome: { kind: 'succeeded', record: record(), artifacts: [], toolCalls: 2 },
    pool: 'solver',
    fits: true,
    status: 'succeeded',
    kind: 'step_materialized',
    message: 'mesh[d01] materialized (data abcdef012345)',
    toolCalls: true,
  },
  {
    case: 'reused',
    outcome: { kind: 'reused', record: record({ reusedFrom: 9 }), artifacts: [] },
    fits: true,
    status: 'reused',
    kind: 'step_reused',
    message: 'mesh[d01] reused materialization 9 (identical inputs)',
    toolCalls: false,
  },
  {
    case: 'cut off early',
    outcome: { kind: 'fresh', inputHash: 'in-1', materializationId: 9, partitionKeys: null },
    fits: true,
    status: 'fresh',
    kind: 'step_fresh',
    message: 'mesh[d01] is already up to date with its inputs (early cutoff)',
    toolCalls: false,
  },
  {
    case: 'computed with artifacts',
    outcome: { kind: 'succeeded', record: record(), artifacts: [ARTIFACT] },
    fits: false,
    status: 'succeeded',
    kind: 'step_materialized',
    message: 'mesh[d01] materialized (data abcdef012345)',
    toolCalls: false,
  },
  {
    case: 'a producer computed',
    outcome: { kind: 'succeeded', record: record({ partitionKeys: ['d01'] }), artifacts: [] },
    fits: false,
    status: 'succeeded',
    kind: 'step_materialized',
    message: 'mesh[d01] materialized (data abcdef012345)',
    toolCalls: false,
  },
  {
    case: 'a producer cut off early',
    outcome: { kind: 'fresh', inputHash: 'in-1', materializationId: 9, partitionKeys: ['d01'] },
    fits: false,
    status: 'fresh',
    kind: 'step_fresh',
    message: 'mesh[d01] is already up to date with its inputs (early cutoff)',
    toolCalls: false,
  },
];

describe('completion decisions', () => {
  it.each(CASES)('$case', (c) => {
    const done: CompletedStep = { claim: claim(c.pool ?? null), outcome: c.outcome };
    expect(fitsOneCall([done])).toBe(c.fits);
    const outcome = oneCallOutcome(done);
    expect(outcome).toMatchObject({
      stepId: 5,
      attemptId: 50,
      status: c.status,
      inputHash: 'in-1',
      toolCalls: c.toolCalls,
      pooled: c.pool !== undefined,
    });
    expect(outcome.record === null).toBe(c.outcome.kind === 'fresh');
    expect(outcome.materializationId).toBe(c.outcome.kind === 'fresh' ? 9 : null);
    expect(outcome.event).toMatchObject({
      kind: c.kind,
      message: c.message,
      stepId: 5,
      attemptId: 50,
    });
  });

  it('sends a batch to the function only when every step of it fits', () => {
    const fits: CompletedStep = { claim: claim(), outcome: CASES[0]!.outcome };
    const not: CompletedStep = { claim: claim(), outcome: CASES[4]!.outcome };
    expect(fitsOneCall([fits, fits])).toBe(true);
    expect(fitsOneCall([fits, not])).toBe(false);
  });
});
