// GET /api/search: assets ranked by how their key matches (equal, prefix of the key or a
// segment, substring, fuzzy), a run and a materialization by id, plans by id prefix or title
// (LIKE wildcards in the text taken literally), every list bounded, bad input a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, study } from '../../src/definitions/index.js';
import type { StrataApp } from '../../src/server/index.js';
import { MaterializationPage } from '../../src/server/schemas/asset-schemas.js';
import { SearchResponse } from '../../src/server/schemas/search-schemas.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, postJson, testApp } from './server-harness.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
let app: StrataApp;
let runId: number;
let materializationId: number;
let planId: string;

const designs = asset({ key: 'designs', schema: z.number(), compute: () => 1 });
const mesh = asset({
  key: 'mesh',
  deps: { designs },
  schema: z.number(),
  compute: ({ inputs }) => inputs.designs,
});
const meshSummary = asset({
  key: 'report/mesh_summary',
  deps: { mesh },
  schema: z.number(),
  compute: ({ inputs }) => inputs.mesh,
});
const feaRun = asset({ key: 'fea_run', schema: z.number(), compute: () => 2 });
const graph = graphOf([designs, mesh, meshSummary, feaRun], {
  studies: [
    study({
      key: 'bracket',
      variables: { height_m: { min: 0.06, max: 0.2 } },
      assets: [designs, mesh],
    }),
  ],
});
const plan = (title: string) => ({
  version: 1,
  study: 'bracket',
  title,
  rationale: 'because',
  predecessor: null,
  variables: { height_m: { min: 0.1, max: 0.15 } },
  doe: { kind: 'latin_hypercube', samples: 3, seed: 5 },
  pipeline: 'designs',
});

beforeAll(async () => {
  const outcome = await run(database, graph, { artifacts, selection: 'designs,mesh' });
  if (outcome.kind !== 'run') throw new Error('expected a run');
  runId = outcome.summary.runId;
  app = testApp(database, graph, artifacts);
  materializationId = bodyOf(
    await getJson(app, '/api/assets/mesh/materializations'),
    MaterializationPage,
  ).items[0]!.materializationId;
  const proposed = await postJson(app, '/api/plans', { plan: plan('Sample 100% of the middle') });
  expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
  planId = (proposed.body as { id: string }).id;
  expect((await postJson(app, '/api/plans', { plan: plan('A grid of thin designs') })).status).toBe(
    201,
  );
});
afterAll(() => app.close());

const search = async (q: string, limit?: number) =>
  bodyOf(
    await getJson(
      app,
      `/api/search?q=${encodeURIComponent(q)}${limit === undefined ? '' : `&limit=${limit}`}`,
    ),
    SearchResponse,
  );

describe('GET /api/search', () => {
  it('ranks assets: equal, then prefix of a segment, then substring, then fuzzy', async () => {
    const found = await search('MESH');
    expect(found.assets).toEqual([
      { key: 'mesh', group: 'default', match: 'exact' },
      { key: 'report/mesh_summary', group: 'default', match: 'prefix' },
    ]);
    expect((await search('esh')).assets.map((hit) => hit.match)).toEqual([
      'substring',
      'substring',
    ]);
    expect((await search('dsgn')).assets).toEqual([
      { key: 'designs', group: 'default', match: 'fuzzy' },
    ]);
    expect((await search('zzz')).assets).toEqual([]);
  });

  it('bounds every list by limit and counts every matching asset', async () => {
    const found = await search('e', 1);
    expect(found.assets).toHaveLength(1);
    expect(found.assetMatches).toBe(4);
    expect((await search('d', 1)).plans).toHaveLength(1);
  });

  it('finds a run and a materialization by id, with or without #', async () => {
    const byRun = await search(String(runId));
    expect(byRun.runs).toEqual([
      expect.objectContaining({ runId, status: 'succeeded', selection: 'designs,mesh' }),
    ]);
    const byMaterialization = await search(`#${materializationId}`);
    expect(byMaterialization.materializations).toEqual([
      expect.objectContaining({ materializationId, assetKey: 'mesh', partition: null }),
    ]);
    expect((await search('999999')).runs).toEqual([]);
    expect((await search('999999')).materializations).toEqual([]);
    expect((await search('run')).runs).toEqual([]);
  });

  it('finds plans by id prefix and by title, taking LIKE wildcards literally', async () => {
    expect((await search(planId.slice(0, 12))).plans.map((p) => p.id)).toContain(planId);
    expect((await search('  grid of  ')).plans.map((p) => p.title)).toEqual([
      'A grid of thin designs',
    ]);
    expect((await search('100%')).plans.map((p) => p.id)).toEqual([planId]);
    expect((await search('%')).plans.map((p) => p.id)).toEqual([planId]);
    expect((await search('_')).plans).toEqual([]);
    expect((await search('middle')).plans[0]).toMatchObject({
      id: planId,
      state: 'proposed',
    });
  });

  it('answers 400 for an empty or missing text, a bad limit, an unknown parameter', async () => {
    expectError(await getJson(app, '/api/search?q=%20%20'), 400, 'q');
    expectError(await getJson(app, '/api/search'), 400, 'q');
    expectError(await getJson(app, `/api/search?q=${'x'.repeat(201)}`), 400, 'q');
    expectError(await getJson(app, '/api/search?q=mesh&limit=0'), 400, 'limit');
    expectError(await getJson(app, '/api/search?q=mesh&limit=51'), 400, 'limit');
    expectError(await getJson(app, '/api/search?q=mesh&sort=key'), 400, 'sort');
  });
});
