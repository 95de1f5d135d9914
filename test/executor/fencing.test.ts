// Fencing at completion: an attempt whose step was taken over meanwhile (its worker was declared
// lost, another worker claimed the step) cannot record anything when it finishes, on either
// path a completion takes: the server-side function (plain values) and the transaction (values
// with artifacts). Its outcome is reported superseded; the new owner's outcome is the one
// recorded, and it releases and adopts the dependants.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, type ArtifactRef } from '../../src/definitions/index.js';
import { createRun } from '../../src/executor/index.js';
import { claimSteps, type ClaimedStep } from '../../src/executor/claim-steps.js';
import { completeSteps, type StepOutcome } from '../../src/executor/complete-steps.js';
import { recordBase } from '../../src/executor/decide-steps.js';
import { handBackAttempts } from '../../src/executor/liveness.js';
import { StepCosts } from '../../src/executor/step-costs.js';
import type { WorkerRuntime } from '../../src/executor/worker-runtime.js';
import { createPlan } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf } from '../support/engine.js';
import { testWorkerRuntime } from '../support/worker-runtime.js';

const database = useTestDatabase();

/** `NAME/first -> NAME/second`: each case has its own assets, so no case's step is busy. */
function chainGraph(name: string) {
  const first = asset({
    key: `${name}/first`,
    codeVersion: '1',
    schema: z.number(),
    compute: () => 1,
  });
  const second = asset({
    key: `${name}/second`,
    codeVersion: '1',
    deps: { first },
    schema: z.number(),
    compute: (ctx) => ctx.inputs.first + 1,
  });
  return graphOf([first, second]);
}

function computed(runtime: WorkerRuntime, claim: ClaimedStep, artifacts: ArtifactRef[]) {
  const outcome: StepOutcome = {
    kind: 'succeeded',
    record: {
      ...recordBase(runtime, claim, `hash-${claim.attemptId}`, [], new Date()),
      dataVersion: `data-${claim.attemptId}`,
      value: 1,
      valueArtifact: null,
      valueSize: 1,
      metadata: {},
      partitionKeys: null,
      reusedFrom: null,
      finishedAt: new Date(),
    },
    artifacts,
  };
  return { claim, outcome };
}

const context = { jobId: null, adopt: true, claimSizes: new StepCosts() };

describe('completing a step that was taken over', () => {
  it.each([
    { path: 'the server-side function (a plain value)', name: 'plain', withArtifact: false },
    { path: 'the transaction (a value with an artifact)', name: 'artifact', withArtifact: true },
  ])('through $path records nothing of the old attempt', async ({ name, withArtifact }) => {
    const graph = chainGraph(name);
    const runId = await createRun(database.db, {
      plan: await createPlan(database.db, graph, undefined, { force: true }),
      options: { concurrency: 1, force: true, partitions: [] },
      trigger: 'test',
    });
    const stepOf = async (key: string) =>
      (
        await database.db
          .selectFrom('strata_internal.steps')
          .select('id')
          .where('run_id', '=', runId)
          .where('asset_key', '=', key)
          .executeTakeFirstOrThrow()
      ).id;
    const firstStep = await stepOf(`${name}/first`);
    const oldOwner = await testWorkerRuntime(database, graph);
    const newOwner = await testWorkerRuntime(database, graph);
    const artifactsOf = async (runtime: WorkerRuntime) =>
      withArtifact ? [await runtime.artifacts.put('mesh', { name: 'mesh.txt' })] : [];

    const [oldClaim] = (await claimSteps(oldOwner, [firstStep], null, () => 1)).claimed;
    // The old owner's worker is declared lost; another worker takes the step over.
    await handBackAttempts(database.db, [oldClaim!.attemptId], 'declared lost in the test');
    const [newClaim] = (await claimSteps(newOwner, [firstStep], null, () => 1)).claimed;
    expect(newClaim!.attemptNumber).toBe(2);

    const late = await completeSteps(
      oldOwner,
      [computed(oldOwner, oldClaim!, await artifactsOf(oldOwner))],
      context,
    );
    expect(late).toEqual({ superseded: [firstStep], adopted: [], unfused: [] });
    const afterLate = await database.db
      .selectFrom('strata_internal.steps')
      .select(['status', 'current_attempt_id'])
      .where('id', '=', firstStep)
      .executeTakeFirstOrThrow();
    expect(afterLate).toEqual({ status: 'running', current_attempt_id: newClaim!.attemptId });

    const done = await completeSteps(
      newOwner,
      [computed(newOwner, newClaim!, await artifactsOf(newOwner))],
      context,
    );
    expect(done.superseded).toEqual([]);
    expect(done.adopted.map((c) => c.step.id)).toEqual([await stepOf(`${name}/second`)]);
    const recorded = await database.db
      .selectFrom('strata_internal.materializations')
      .select(['attempt_id', 'worker_id'])
      .where('run_id', '=', runId)
      .execute();
    expect(recorded).toEqual([{ attempt_id: newClaim!.attemptId, worker_id: newOwner.workerId }]);
  });
});
