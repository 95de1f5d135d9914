// GET /api/asset-statuses?run=ID: the statuses a run can change (its assets and what is
// downstream of them) as GET /api/assets gives them, and the errors of a bad or unknown run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraphResponse } from '../../src/server/schemas/asset-schemas.js';
import { AssetStatusesResponse } from '../../src/server/schemas/asset-status-schemas.js';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { run, tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
let app: StrataApp;
let runId: number;

beforeAll(async () => {
  const graph = testGraph();
  await run(database, graph, { artifacts, selection: 'geometry,sim/mesh,summary' });
  const outcome = await run(database, graph, { artifacts, selection: 'sim/mesh', force: true });
  if (outcome.kind === 'nothing_to_do') throw new Error('the forced run did nothing');
  runId = outcome.summary.runId;
  app = testApp(database, testGraph('s2'), artifacts);
});
afterAll(() => app.close());

describe('GET /api/asset-statuses', () => {
  it("gives the run's assets and those downstream, with the statuses of /api/assets", async () => {
    const delta = bodyOf(
      await getJson(app, `/api/asset-statuses?run=${runId}`),
      AssetStatusesResponse,
    );
    expect(delta.run).toBe(runId);
    // sim/mesh ran; summary is downstream of it; geometry (upstream) and slow are left out.
    expect(delta.items.map((item) => item.key)).toEqual(['sim/mesh', 'summary']);
    const graph = bodyOf(await getJson(app, '/api/assets'), AssetGraphResponse);
    for (const item of delta.items)
      expect(item.status).toEqual(graph.nodes.find((node) => node.key === item.key)!.status);
    expect(delta.items[1]!.status).toMatchObject({ status: 'stale', mainCause: 'code' });
  });

  it('refuses a run that is not a number, and names an unknown run', async () => {
    expectError(await getJson(app, '/api/asset-statuses?run=abc'), 400, 'run');
    expectError(await getJson(app, '/api/asset-statuses'), 400, 'run');
    expectError(await getJson(app, '/api/asset-statuses?run=999999'), 404, 'run');
  });
});
