// Executing approved plans against real PostgreSQL, in-process: the gate (only an approved plan
// whose approval saw the code running now), the run of each segment (up to a checkpoint, then
// the rest), the plan's designs as the DOE asset's partition with the plan as its payload, the
// plan following its runs (waiting, done, failed), runs tied to the plan, and refusals that
// write nothing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { mcpStdioServer } from '../../src/definitions/index.js';
import { ForbiddenError, UsageError } from '../../src/errors.js';
import { workOnRun } from '../../src/executor/index.js';
import {
  changePlanState,
  loadPlan,
  proposePlan,
  startPlanRun,
  type PlanActor,
} from '../../src/plans/index.js';
import { useTestDatabase } from '../support/database.js';
import { beamPlanDocument, beamStudyGraph, type BeamStudyOptions } from '../support/beam-study.js';
import { testEngine } from '../support/engine.js';

const database = useTestDatabase();
const COUNTER_SERVER = fileURLToPath(
  new URL('../fixtures/tools/counter-tool-server.ts', import.meta.url),
);

const planner: PlanActor = { name: 'claude', role: 'planner', origin: 'mcp' };
const approver: PlanActor = { name: 'ada', role: 'approver', origin: '10.0.0.7' };
/** An approver who also proposes plans. */
const ada = (): PlanActor => ({ name: 'ada', role: 'approver', origin: '10.0.0.7' });
const operator: PlanActor = { name: 'ops', role: 'operator', origin: '10.0.0.9' };

const studyGraph = (options: Omit<BeamStudyOptions, 'setName'> = {}) =>
  beamStudyGraph({ setName: 'exec_plans', ...options });

async function stepsOf(runId: number) {
  const rows = await database.db
    .selectFrom('strata_internal.steps')
    .select(['asset_key', 'partition_key', 'status'])
    .where('run_id', '=', runId)
    .execute();
  return rows.map((r) => `${r.asset_key}: ${r.status}`).sort();
}

describe('executing an approved plan', () => {
  it('runs to its checkpoint, waits durably, continues on approval, and ends done', async () => {
    const graph = studyGraph();
    const engine = testEngine(database, graph);
    const proposed = await proposePlan(
      database.db,
      graph,
      beamPlanDocument('with a look at the sections', { checkpoints: [{ after: 'section' }] }),
      planner,
    );
    await changePlanState(database.db, graph, proposed.id, 'approve', approver, 'go');

    const first = await startPlanRun(database.db, graph, proposed.id, 'execute', operator, {
      concurrency: 2,
    });
    expect(first).toMatchObject({ state: 'running', checkpoint: 0 });
    const firstSummary = await workOnRun(engine, first.runId!, {}, undefined);
    expect(firstSummary.status).toBe('succeeded');
    // Up to the checkpoint: the plan's DOE and its three designs' sections, no solve.
    expect(await stepsOf(first.runId!)).toEqual([
      'designs: succeeded',
      ...Array(3).fill('section: succeeded'),
    ]);
    expect((await loadPlan(database.db, proposed.id)).state).toBe('waiting');

    // The planner cannot continue; an approver can, and the rest runs.
    await expect(
      startPlanRun(database.db, graph, proposed.id, 'continue', planner, { concurrency: 2 }),
    ).rejects.toThrow(ForbiddenError);
    const second = await startPlanRun(database.db, graph, proposed.id, 'continue', approver, {
      concurrency: 2,
      comment: 'sections look fine',
    });
    expect(second).toMatchObject({ state: 'running', checkpoint: null });
    expect((await workOnRun(engine, second.runId!, {}, undefined)).status).toBe('succeeded');
    expect(await stepsOf(second.runId!)).toEqual([
      'front: succeeded',
      ...Array(3).fill('solve: succeeded'),
    ]);

    const done = await loadPlan(database.db, proposed.id);
    expect(done.state).toBe('done');
    expect(done.transitions.map((t) => `${t.from ?? '-'} -> ${t.to} by ${t.actor}`)).toEqual([
      '- -> proposed by claude',
      'proposed -> approved by ada',
      'approved -> running by ops',
      'running -> waiting by strata',
      'waiting -> running by ada',
      'running -> done by strata',
    ]);
    const approvals = done.transitions.filter((t) => t.codeVersions !== null);
    expect(approvals.map((t) => t.codeVersions)).toEqual([
      { designs: '1', section: '1', solve: '1', front: '1' },
      { designs: '1', section: '1', solve: '1', front: '1' },
    ]);

    // The SQL view for data teams: the approval of the plan and the one past its checkpoint.
    const viewed = await sql<{ of_plan: boolean; approved_by: string; approvals: number | null }>`
      select of_plan, approved_by, approvals from strata.plan_approvals
      where plan_id = ${proposed.id} order by at`.execute(database.db);
    expect(viewed.rows).toEqual([
      { of_plan: true, approved_by: 'ada', approvals: 1 },
      { of_plan: false, approved_by: 'ada', approvals: null },
    ]);

    // Both runs belong to the plan; its front holds its three designs and nothing else.
    const runs = await database.db
      .selectFrom('strata_internal.runs')
      .select(['id', 'plan_id', 'plan_checkpoint', 'launched_by'])
      .where('plan_id', '=', proposed.id)
      .orderBy('id')
      .execute();
    expect(runs).toEqual([
      { id: first.runId, plan_id: proposed.id, plan_checkpoint: 0, launched_by: 'ops' },
      { id: second.runId, plan_id: proposed.id, plan_checkpoint: null, launched_by: 'ada' },
    ]);
    const front = await database.db
      .selectFrom('strata_internal.latest_materializations as l')
      .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
      .select('m.value')
      .where('l.asset_key', '=', 'front')
      .where('l.partition_key', '=', proposed.id)
      .executeTakeFirstOrThrow();
    const values = Object.values(front.value as Record<string, number>);
    expect(values).toHaveLength(3);
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0.06 * 200);
      expect(value).toBeLessThanOrEqual(0.09 * 200 + 1e-9);
    }
  });

  it('refuses, writing nothing, when the code changed since the approval', async () => {
    const graph = studyGraph();
    const proposed = await proposePlan(database.db, graph, beamPlanDocument('code moves'), planner);
    await changePlanState(database.db, graph, proposed.id, 'approve', approver);
    const changed = studyGraph({ solveVersion: '2' });
    const attempt = startPlanRun(database.db, changed, proposed.id, 'execute', operator, {
      concurrency: 2,
    });
    await expect(attempt).rejects.toThrow(
      `plan ${proposed.id} was approved for other code; changed since its approval: solve: code version 1 -> 2`,
    );
    expect((await loadPlan(database.db, proposed.id)).state).toBe('approved');
    const written = await database.db
      .selectFrom('strata_internal.dynamic_partitions')
      .select('partition_key')
      .where('partition_key', '=', proposed.id)
      .execute();
    expect(written).toEqual([]);

    // A new approval for the new code lets it run.
    await changePlanState(database.db, changed, proposed.id, 'approve', approver, 'solver v2 ok');
    const started = await startPlanRun(database.db, changed, proposed.id, 'execute', operator, {
      concurrency: 2,
    });
    expect(started.runId).not.toBeNull();
    await workOnRun(testEngine(database, changed), started.runId!, {}, undefined);
    expect((await loadPlan(database.db, proposed.id)).state).toBe('done');
  });

  it.each([
    ['a proposed plan', 'proposed', operator, UsageError, /is proposed: it cannot execute/],
    [
      'as a planner',
      'approved',
      planner,
      ForbiddenError,
      /claude \(role planner\) may not execute/,
    ],
  ] as const)('refuses to execute %s', async (_name, state, actor, type, message) => {
    const graph = studyGraph();
    const proposed = await proposePlan(
      database.db,
      graph,
      beamPlanDocument(`refused ${_name}`),
      planner,
    );
    if (state === 'approved')
      await changePlanState(database.db, graph, proposed.id, 'approve', approver);
    const attempt = startPlanRun(database.db, graph, proposed.id, 'execute', actor, {
      concurrency: 2,
    });
    await expect(attempt).rejects.toThrow(type);
    await expect(attempt).rejects.toThrow(message);
    expect((await loadPlan(database.db, proposed.id)).state).toBe(state);
  });

  it('fails with its run (its own designs: another seed), and an unknown plan is named', async () => {
    const graph = studyGraph({ failSolve: true });
    const proposed = await proposePlan(
      database.db,
      graph,
      beamPlanDocument('diverges', { seed: 99 }),
      planner,
    );
    await changePlanState(database.db, graph, proposed.id, 'approve', approver);
    const started = await startPlanRun(database.db, graph, proposed.id, 'execute', operator, {
      concurrency: 2,
    });
    const summary = await workOnRun(testEngine(database, graph), started.runId!, {}, undefined);
    expect(summary.status).toBe('failed');
    const plan = await loadPlan(database.db, proposed.id);
    expect(plan.state).toBe('failed');
    expect(plan.transitions.at(-1)).toMatchObject({
      from: 'running',
      to: 'failed',
      actor: 'strata',
      runId: started.runId,
    });
    await expect(
      startPlanRun(database.db, graph, 'plan-0000000000000000', 'execute', operator, {
        concurrency: 2,
      }),
    ).rejects.toThrow('no plan plan-0000000000000000');
  });

  it('stops at its tool-call budget: the call over it is never sent, and the plan fails', async () => {
    const workLog = path.join(mkdtempSync(path.join(tmpdir(), 'strata-budget-')), 'work.log');
    writeFileSync(workLog, '');
    const solver = mcpStdioServer({
      command: process.execPath,
      args: ['--import', 'tsx', COUNTER_SERVER],
      env: { WORK_LOG: workLog },
    });
    const graph = studyGraph({ solver });
    const proposed = await proposePlan(
      database.db,
      graph,
      beamPlanDocument('two solves only', { seed: 11, limits: { maxToolCalls: 2 } }),
      planner,
    );
    await changePlanState(database.db, graph, proposed.id, 'approve', approver);
    const started = await startPlanRun(database.db, graph, proposed.id, 'execute', operator, {
      concurrency: 1,
    });
    const summary = await workOnRun(testEngine(database, graph), started.runId!, {}, undefined);
    expect(summary.status).toBe('failed');
    const solves = summary.steps.filter((s) => s.key === 'solve');
    expect(solves.map((s) => s.status).sort()).toEqual(['failed', 'succeeded', 'succeeded']);
    const failed = solves.find((s) => s.status === 'failed')!;
    expect(failed.error).toContain(
      `plan ${proposed.id} has spent its budget of 2 tool calls (limits.maxToolCalls): solver.double was not sent`,
    );
    expect(failed.attempts).toBe(1); // never retried: the budget would refuse again
    const sent = readFileSync(workLog, 'utf8').split('\n').filter(Boolean);
    expect(sent).toHaveLength(2);
    const plan = await database.db
      .selectFrom('strata_internal.plans')
      .select(['state', 'tool_calls_used'])
      .where('id', '=', proposed.id)
      .executeTakeFirstOrThrow();
    expect(plan).toEqual({ state: 'failed', tool_calls_used: 2 });
  });

  it('follows the project policy: no self-approval, two distinct approvers', async () => {
    const graph = studyGraph({ planApprovals: { required: 2, selfApproval: false } });
    const grace: PlanActor = { name: 'grace', role: 'approver', origin: '10.0.0.8' };
    const linus: PlanActor = { name: 'linus', role: 'admin', origin: 'cli on vm' };
    const proposed = await proposePlan(
      database.db,
      graph,
      beamPlanDocument('two eyes', { seed: 21 }),
      ada(),
    );
    const approve = (actor: PlanActor) =>
      changePlanState(database.db, graph, proposed.id, 'approve', actor, `by ${actor.name}`);
    await expect(approve(ada())).rejects.toThrow(
      `ada proposed ${proposed.id} and may not approve it: this project needs another approver`,
    );
    const once = await approve(grace);
    expect(once.state).toBe('proposed');
    expect(once.transitions.at(-1)).toMatchObject({
      from: 'proposed',
      to: 'proposed',
      approvals: 1,
    });
    await expect(approve(grace)).rejects.toThrow(
      `grace already approved plan ${proposed.id} for the code running now`,
    );
    await expect(
      startPlanRun(database.db, graph, proposed.id, 'execute', operator, { concurrency: 2 }),
    ).rejects.toThrow(/is proposed: it cannot execute/);
    const twice = await approve(linus);
    expect(twice.state).toBe('approved');
    expect(twice.transitions.at(-1)).toMatchObject({
      from: 'proposed',
      to: 'approved',
      approvals: 2,
    });
    // A project that then requires three refuses to run on two.
    const stricter = studyGraph({ planApprovals: { required: 3, selfApproval: false } });
    await expect(
      startPlanRun(database.db, stricter, proposed.id, 'execute', operator, { concurrency: 2 }),
    ).rejects.toThrow(`plan ${proposed.id} has 2 of the 3 approvals this project requires`);
    const started = await startPlanRun(database.db, graph, proposed.id, 'execute', operator, {
      concurrency: 2,
    });
    expect(started.runId).not.toBeNull();
    await workOnRun(testEngine(database, graph), started.runId!, {}, undefined);
  });
});
