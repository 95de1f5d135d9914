// Executing plans over HTTP with named tokens, against real PostgreSQL and the server's own worker
// pool: the dry run before anything is built; an operator executes an approved plan and the
// server works on the run to the checkpoint (the plan waits); only an approver continues it (a
// planner can neither execute nor continue, an operator cannot continue), with a comment; the
// plan ends done, with its runs, their step counts and its results (the plan's partition of each
// per-plan asset with its metadata, the design points each per-design asset built). Wrong states
// are 400, an unknown plan 404, code changed since the approval 403 naming the change, and a
// read-only server refuses before any run exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/access/index.js';
import type { AssetGraph } from '../../src/graph/index.js';
import type { StrataApp } from '../../src/server/index.js';
import { PlanDetailResponse, PlanRunStartResponse } from '../../src/server/schemas/plan-schemas.js';
import { useTestDatabase } from '../support/database.js';
import { beamPlanDocument, beamStudyGraph } from '../support/beam-study.js';
import { tempArtifacts } from '../support/engine.js';
import {
  awaitRun,
  bodyOf,
  expectError,
  getJson,
  postJson,
  testApp,
  type JsonResult,
} from './server-harness.js';

const database = useTestDatabase();
const token: Record<string, string> = {};
let app: StrataApp;

const studyGraph = (solveVersion = '1'): AssetGraph =>
  beamStudyGraph({ setName: 'api_plans', solveVersion });
const planDocument = (title: string, seed: number) =>
  beamPlanDocument(title, {
    seed,
    checkpoints: [{ after: 'section', note: 'look at the sections' }],
  });

const as = (role: string) => ({ Authorization: `Bearer ${token[role]!}` });

/** Proposes a plan as the planner and approves it as the approver; returns its id. */
async function approvedPlan(target: StrataApp, title: string, seed: number): Promise<string> {
  const proposed = await postJson(
    target,
    '/api/plans',
    { plan: planDocument(title, seed) },
    as('planner'),
  );
  expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
  const { id } = proposed.body as { id: string };
  expect((await postJson(target, `/api/plans/${id}/approve`, {}, as('approver'))).status).toBe(200);
  return id;
}

async function planOfApi(id: string) {
  return bodyOf(await getJson(app, `/api/plans/${id}`, as('viewer')), PlanDetailResponse);
}

async function planRunCount(id: string): Promise<number> {
  const rows = await database.db
    .selectFrom('strata_internal.runs')
    .select('id')
    .where('plan_id', '=', id)
    .execute();
  return rows.length;
}

/** The started run of a 202 answer, followed to its end. */
async function startedRun(result: JsonResult) {
  const started = bodyOf(result, PlanRunStartResponse, 202);
  expect(started.runId).not.toBeNull();
  expect(result.response.headers.get('Location')).toBe(`/api/runs/${started.runId}`);
  expect((await awaitRun(app, started.runId!, as('viewer'))).status).toBe('succeeded');
  return started;
}

beforeAll(async () => {
  for (const role of ['planner', 'operator', 'approver', 'viewer'] as const)
    token[role] = (
      await createApiToken(database.db, { name: `${role}-1`, role, createdBy: 'test@host' })
    ).token;
  app = testApp(database, studyGraph(), tempArtifacts(), { requireTokens: true });
});
afterAll(() => app.close());

describe('executing a plan over HTTP', () => {
  it('runs to the checkpoint, continues on an approver’s word, and reads back runs and results', async () => {
    const id = await approvedPlan(app, 'Thin sections', 5);

    // Before anything runs: the dry run, no runs, nothing built.
    const before = await planOfApi(id);
    expect(before.runs).toEqual([]);
    expect(before.dryRun).toEqual({
      designPoints: 3,
      sharedDesignPoints: 0,
      assets: [
        { asset: 'designs', partitions: 1, built: 0 },
        { asset: 'section', partitions: 3, built: 0 },
        { asset: 'solve', partitions: 3, built: 0 },
        { asset: 'front', partitions: 1, built: 0 },
      ],
    });
    expect(before.results).toEqual({
      perPlan: [
        { asset: 'designs', partition: id, latest: null },
        { asset: 'front', partition: id, latest: null },
      ],
      perDesign: [
        { asset: 'section', designPoints: 3, built: 0 },
        { asset: 'solve', designPoints: 3, built: 0 },
      ],
    });

    // A planner can neither execute nor continue; a viewer cannot execute.
    const plannerExecutes = expectError(
      await postJson(app, `/api/plans/${id}/execute`, {}, as('planner')),
      403,
    );
    expect(plannerExecutes.message).toBe(
      'token "planner-1" (role planner) may not launch, cancel or resume runs',
    );
    const plannerContinues = expectError(
      await postJson(app, `/api/plans/${id}/continue`, {}, as('planner')),
      403,
    );
    expect(plannerContinues.message).toBe('token "planner-1" (role planner) may not approve plans');
    expectError(await postJson(app, `/api/plans/${id}/execute`, {}, as('viewer')), 403);
    // Continuing an approved plan: the wrong state.
    const early = expectError(
      await postJson(app, `/api/plans/${id}/continue`, {}, as('approver')),
      400,
    );
    expect(early.message).toBe(
      `plan ${id} is approved: it cannot continue (only a waiting plan can)`,
    );
    expect(await planRunCount(id)).toBe(0);

    // The operator executes: the server works on the run up to the checkpoint.
    const first = await startedRun(
      await postJson(app, `/api/plans/${id}/execute`, { comment: 'go' }, as('operator')),
    );
    expect(first).toMatchObject({ state: 'running', checkpoint: 0 });
    const waiting = await planOfApi(id);
    expect(waiting.state).toBe('waiting');
    expect(waiting.runs).toMatchObject([
      {
        runId: first.runId,
        status: 'succeeded',
        trigger: 'plan',
        launchedBy: 'operator-1',
        checkpoint: 0,
        counts: { succeeded: 4 },
        total: 4,
        done: 4,
      },
    ]);
    expect(waiting.results?.perDesign).toEqual([
      { asset: 'section', designPoints: 3, built: 3 },
      { asset: 'solve', designPoints: 3, built: 0 },
    ]);
    expect(waiting.results?.perPlan.map((r) => [r.asset, r.latest?.runId ?? null])).toEqual([
      ['designs', first.runId],
      ['front', null],
    ]);
    expect(waiting.dryRun?.assets.map((a) => `${a.asset} ${a.built}/${a.partitions}`)).toEqual([
      'designs 1/1',
      'section 3/3',
      'solve 0/3',
      'front 0/1',
    ]);

    // Executing again is the wrong state; an operator may not continue; an approver does.
    const again = expectError(
      await postJson(app, `/api/plans/${id}/execute`, {}, as('operator')),
      400,
    );
    expect(again.message).toBe(
      `plan ${id} is waiting: it cannot execute (only an approved plan can)`,
    );
    const operatorContinues = expectError(
      await postJson(app, `/api/plans/${id}/continue`, {}, as('operator')),
      403,
    );
    expect(operatorContinues.message).toBe(
      'token "operator-1" (role operator) may not approve plans',
    );
    const second = await startedRun(
      await postJson(
        app,
        `/api/plans/${id}/continue`,
        { comment: 'sections look right' },
        as('approver'),
      ),
    );
    expect(second).toMatchObject({ state: 'running', checkpoint: null });

    const done = await planOfApi(id);
    expect(done.state).toBe('done');
    expect(done.runs.map((r) => [r.runId, r.status, r.checkpoint, r.done, r.total])).toEqual([
      [first.runId, 'succeeded', 0, 4, 4],
      [second.runId, 'succeeded', null, 4, 4],
    ]);
    expect(done.transitions.map((t) => `${t.to} ${t.actor} ${t.comment ?? '-'}`)).toEqual([
      'proposed planner-1 -',
      'approved approver-1 -',
      'running operator-1 go',
      'waiting strata reached checkpoint 1',
      'running approver-1 sections look right',
      `done strata run ${second.runId} succeeded`,
    ]);
    const front = done.results!.perPlan.find((r) => r.asset === 'front')!;
    expect(front.latest).toMatchObject({ runId: second.runId, metadata: { designs: 3 } });
    expect(done.results!.perDesign.map((r) => r.built)).toEqual([3, 3]);
    // The link of the result: the materialization of front[plan].
    const materialization = await getJson(
      app,
      `/api/materializations/${front.latest!.materializationId}`,
      as('viewer'),
    );
    expect(materialization.body).toMatchObject({ assetKey: 'front', partition: id });
    expectError(await postJson(app, `/api/plans/${id}/continue`, {}, as('approver')), 400);
  });

  it('refuses an unknown plan (404), a bad id (400) and code changed since the approval (403)', async () => {
    expectError(
      await postJson(app, '/api/plans/plan-0000000000000000/execute', {}, as('operator')),
      404,
    );
    expectError(await postJson(app, '/api/plans/nope/execute', {}, as('operator')), 400, 'id');
    expectError(
      await postJson(
        app,
        '/api/plans/plan-0000000000000000/execute',
        { force: true },
        as('operator'),
      ),
      400,
    );

    const id = await approvedPlan(app, 'Solved by other code', 6);
    const changed = testApp(database, studyGraph('2'), tempArtifacts(), { requireTokens: true });
    try {
      const refused = expectError(
        await postJson(changed, `/api/plans/${id}/execute`, {}, as('operator')),
        403,
      );
      expect(refused.message).toBe(
        `plan ${id} was approved for other code; changed since its approval: solve: code version 1 -> 2`,
      );
      expect(refused.hint).toBe(
        `review it again and approve it for this code: strata plans approve ${id}`,
      );
    } finally {
      await changed.close();
    }
    expect((await planOfApi(id)).state).toBe('approved');
    expect(await planRunCount(id)).toBe(0);
  });

  it('refuses on a read-only server before any run exists', async () => {
    const id = await approvedPlan(app, 'Nowhere to run', 7);
    const readOnly = testApp(database, studyGraph(), tempArtifacts(), {
      requireTokens: true,
      launch: false,
    });
    try {
      const refused = expectError(
        await postJson(readOnly, `/api/plans/${id}/execute`, {}, as('operator')),
        403,
      );
      expect(refused.message).toMatch(/^this server is read-only/);
    } finally {
      await readOnly.close();
    }
    expect((await planOfApi(id)).state).toBe('approved');
    expect(await planRunCount(id)).toBe(0);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const { body } = await getJson(app, '/api/openapi.json', as('viewer'));
    const doc = body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    for (const action of ['execute', 'continue']) {
      const operation = doc.paths[`/api/plans/{id}/${action}`]!.post!;
      expect(Object.keys(operation.responses).sort()).toEqual(['202', '400', '403', '404', '503']);
      expect(operation.responses['202']).toMatchObject({
        content: { 'application/json': { schema: { $ref: '#/components/schemas/PlanRunStart' } } },
      });
    }
    expect(Object.keys(doc.components.schemas.PlanDetail!.properties!)).toEqual(
      expect.arrayContaining(['runs', 'dryRun', 'results']),
    );
  });
});
