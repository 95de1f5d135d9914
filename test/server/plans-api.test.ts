// The plan routes with named tokens, as a planner (an AI planner's token) and a human approver
// use them: the planner proposes (and gets every problem of a bad plan, with its field), may not
// approve, reject or see its plan approved by itself; the approver approves, and the plan records
// both names. The route's capability and the gate's own check both refuse a planner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiToken } from '../../src/access/index.js';
import { asset, study } from '../../src/definitions/index.js';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, tempArtifacts } from '../support/engine.js';
import { expectError, getJson, postJson, testApp } from './server-harness.js';

const database = useTestDatabase();
let app: StrataApp;
const token: Record<string, string> = {};

beforeAll(async () => {
  for (const role of ['planner', 'approver'] as const)
    token[role] = (
      await createApiToken(database.db, { name: `${role}-1`, role, createdBy: 'test@host' })
    ).token;
  const designs = asset({ key: 'designs', schema: z.number(), compute: () => 1 });
  const graph = graphOf([designs], {
    studies: [
      study({
        key: 'bracket',
        variables: { height_m: { min: 0.06, max: 0.2 } },
        assets: [designs],
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
