// The plan routes with named tokens, as a planner (an AI planner's token) and a human approver
// use them: the planner proposes (and gets every problem of a bad plan, with its field), may not
// approve, reject or see its plan approved by itself; the approver approves, and the plan records
// both names. The route's capability and the gate's own check both refuse a planner. One plan
// reads with its design points (exactly planDesignPoints of the plan and its study), its
// pipeline's assets and its study's bounds; the list counts each plan's points and filters by
// state; GET /api/session says who the caller is and whether it may approve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiToken } from '../../src/access/index.js';
import { asset, study } from '../../src/definitions/index.js';
import { parseExperimentPlan, planDesignPoints } from '../../src/plans/index.js';
import type { StrataApp } from '../../src/server/index.js';
import { PlanDetailResponse, PlanListResponse } from '../../src/server/schemas/plan-schemas.js';
import { SessionResponse } from '../../src/server/schemas/session-schemas.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, postJson, testApp } from './server-harness.js';

const database = useTestDatabase();
let app: StrataApp;
const token: Record<string, string> = {};

beforeAll(async () => {
  for (const role of ['planner', 'approver', 'viewer'] as const)
    token[role] = (
      await createApiToken(database.db, { name: `${role}-1`, role, createdBy: 'test@host' })
    ).token;
  const designs = asset({ key: 'designs', schema: z.number(), compute: () => 1 });
  const mesh = asset({
    key: 'mesh',
    deps: { designs },
    schema: z.number(),
    compute: ({ inputs }) => inputs.designs,
  });
  const graph = graphOf([designs, mesh], {
    studies: [
      study({
        key: 'bracket',
        variables: { height_m: { min: 0.06, max: 0.2 }, thickness_m: { min: 0.01, max: 0.04 } },
        levels: { material: ['steel', 'titanium', 'aluminium'] },
        assets: [designs, mesh],
      }),
    ],
  });
  app = testApp(database, graph, tempArtifacts(), { requireTokens: true });
});
afterAll(() => app.close());

const as = (role: string) => ({ Authorization: `Bearer ${token[role]!}` });
const PLAN = {
  version: 1,
  study: 'bracket',
  title: 'Sample the middle',
  rationale: 'because',
  predecessor: null,
  variables: { height_m: { min: 0.1, max: 0.15 } },
  doe: { kind: 'latin_hypercube', samples: 3, seed: 5 },
  pipeline: 'designs',
};

describe('plans over HTTP', () => {
  it('lets a planner propose but only an approver approve', async () => {
    const bad = await postJson(
      app,
      '/api/plans',
      { plan: { ...PLAN, variables: { height_m: { min: 0.1, max: 0.5 } } } },
      as('planner'),
    );
    expect(expectError(bad, 400).message).toMatch(
      /variables\.height_m\.max: 0\.5 exceeds the study's bound 0\.2/,
    );

    const proposed = await postJson(
      app,
      '/api/plans',
      { plan: PLAN, comment: 'next' },
      as('planner'),
    );
    expect(proposed.status).toBe(201);
    const { id } = proposed.body as { id: string };

    for (const action of ['approve', 'reject']) {
      const refused = expectError(
        await postJson(app, `/api/plans/${id}/${action}`, {}, as('planner')),
        403,
      );
      expect(refused.message).toBe('token "planner-1" (role planner) may not approve plans');
    }
    const approved = await postJson(
      app,
      `/api/plans/${id}/approve`,
      { comment: 'go' },
      as('approver'),
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      proposedBy: 'planner-1',
      transitions: [
        { from: null, to: 'proposed', actor: 'planner-1', comment: 'next' },
        { from: 'proposed', to: 'approved', actor: 'approver-1', comment: 'go' },
      ],
    });
    const read = await getJson(app, `/api/plans/${id}`, as('planner'));
    expect((read.body as { state: string }).state).toBe('approved');
    expectError(await getJson(app, '/api/plans/plan-0000000000000000', as('planner')), 404);
  });
});

describe('one plan with its points, pipeline and study; the list; the session', () => {
  const FACTORIAL = {
    ...PLAN,
    title: 'A grid of thin titanium and steel',
    levels: { material: ['titanium', 'steel'] },
    doe: { kind: 'full_factorial', levels: { height_m: 3, thickness_m: 2 } },
    pipeline: '+mesh',
    limits: { maxDesignPoints: 20 },
    checkpoints: [{ after: 'designs', note: 'look at the points' }],
  };

  it('reads a plan with its design points, its pipeline in topological order and its study', async () => {
    const proposed = await postJson(app, '/api/plans', { plan: FACTORIAL }, as('planner'));
    expect(proposed.status).toBe(201);
    const { id } = proposed.body as { id: string };
    const plan = bodyOf(await getJson(app, `/api/plans/${id}`, as('viewer')), PlanDetailResponse);
    expect(plan).toMatchObject({
      id,
      state: 'proposed',
      proposedBy: 'planner-1',
      pipelineAssets: ['designs', 'mesh'],
      studyBounds: {
        variables: { height_m: { min: 0.06, max: 0.2 }, thickness_m: { min: 0.01, max: 0.04 } },
        levels: { material: ['steel', 'titanium', 'aluminium'] },
      },
      pointCount: 12,
    });
    // 3 heights x 2 thicknesses x 2 materials, exactly the pure function's points.
    const space = {
      variables: plan.studyBounds!.variables,
      levels: plan.studyBounds!.levels,
    };
    expect(plan.points).toEqual(planDesignPoints(parseExperimentPlan(FACTORIAL), space));
    expect(new Set(plan.points.map((p) => p.key)).size).toBe(12);
    for (const point of plan.points) {
      expect(point.key).toMatch(/^d-[0-9a-f]{12}$/);
      expect(point.values.height_m).toBeGreaterThanOrEqual(0.1);
      expect(point.values.height_m).toBeLessThanOrEqual(0.15);
      expect(['titanium', 'steel']).toContain(point.values.material);
    }
    expect(new Set(plan.points.map((p) => p.values.thickness_m))).toEqual(new Set([0.01, 0.04]));
    expect(plan.document.checkpoints).toEqual([{ after: 'designs', note: 'look at the points' }]);

    const capped = bodyOf(
      await getJson(app, `/api/plans/${id}?pointLimit=5`, as('viewer')),
      PlanDetailResponse,
    );
    expect(capped.pointCount).toBe(12);
    expect(capped.points).toEqual(plan.points.slice(0, 5));
    expectError(
      await getJson(app, `/api/plans/${id}?pointLimit=-1`, as('viewer')),
      400,
      'pointLimit',
    );
    expectError(await getJson(app, `/api/plans/${id}?points=5`, as('viewer')), 400, 'points');
  });

  it('lists plans with their number of points, filtered by state', async () => {
    const all = bodyOf(await getJson(app, '/api/plans', as('viewer')), PlanListResponse);
    expect(all.plans.map((p) => [p.title, p.state, p.pointCount])).toEqual([
      ['A grid of thin titanium and steel', 'proposed', 12],
      ['Sample the middle', 'approved', 3],
    ]);
    const proposed = bodyOf(
      await getJson(app, '/api/plans?state=proposed', as('viewer')),
      PlanListResponse,
    );
    expect(proposed.plans.map((p) => p.title)).toEqual(['A grid of thin titanium and steel']);
    const rejected = bodyOf(
      await getJson(app, '/api/plans?state=rejected', as('viewer')),
      PlanListResponse,
    );
    expect(rejected.plans).toEqual([]);
    expectError(await getJson(app, '/api/plans?state=finished', as('viewer')), 400, 'state');
  });

  it('says who the caller is and whether it may approve', async () => {
    const planner = bodyOf(await getJson(app, '/api/session', as('planner')), SessionResponse);
    expect(planner).toEqual({
      name: 'planner-1',
      role: 'planner',
      capabilities: ['read', 'propose'],
      readOnly: false,
    });
    const approver = bodyOf(await getJson(app, '/api/session', as('approver')), SessionResponse);
    expect(approver).toEqual({
      name: 'approver-1',
      role: 'approver',
      capabilities: ['read', 'run', 'propose', 'approve'],
      readOnly: false,
    });
    const viewer = bodyOf(await getJson(app, '/api/session', as('viewer')), SessionResponse);
    expect(viewer.capabilities).toEqual(['read']);
    expectError(await getJson(app, '/api/session'), 401);
  });
});
