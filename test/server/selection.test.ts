// GET /api/selection: the CLI's selection syntax resolved by the server (keys in topological
// order, partition restrictions), and bad selections as 400s naming the column and the closest
// name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SelectionResponse } from '../../src/server/schemas/selection-schemas.js';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
let app: StrataApp;

beforeAll(() => {
  app = testApp(database, testGraph(), tempArtifacts());
});
afterAll(() => app.close());

const select = (q?: string) =>
  getJson(app, q === undefined ? '/api/selection' : `/api/selection?q=${encodeURIComponent(q)}`);

describe('GET /api/selection', () => {
  it.each([
    ['+summary', ['geometry', 'sim/mesh', 'summary'], {}],
    ['geometry+1', ['geometry', 'sim/mesh'], {}],
    ['sim/*', ['sim/mesh'], {}],
    ['group:sim,slow', ['slow', 'sim/mesh'], {}],
    ['tag:stage=cad', ['geometry'], {}],
    ['sim/mesh[coarse], summary', ['sim/mesh', 'summary'], { 'sim/mesh': ['coarse'] }],
    ['', ['geometry', 'slow', 'sim/mesh', 'summary'], {}],
    [undefined, ['geometry', 'slow', 'sim/mesh', 'summary'], {}],
  ])('resolves %j', async (q, keys, partitions) => {
    expect(bodyOf(await select(q), SelectionResponse)).toEqual({ keys, partitions });
  });

  it('answers 400 naming the column and the closest name', async () => {
    const unknown = expectError(await select('geometry,+sumary'), 400, 'q');
    expect(unknown.message).toBe(
      'unknown asset "sumary" in selection "geometry,+sumary" at column 10 (term "+sumary")',
    );
    expect(unknown.hint).toBe('did you mean summary?');
    expect(unknown.details).toEqual({ term: '+sumary', column: 10 });

    const group = expectError(await select('group:sin'), 400, 'q');
    expect(group.message).toMatch(/^unknown group "sin" in selection "group:sin" at column 1/);
    expect(group.hint).toMatch(/did you mean sim\?/);

    const syntax = expectError(await select('geometry,,slow'), 400, 'q');
    expect(syntax.details).toMatchObject({ column: expect.any(Number) });
    expect(syntax.message).toMatch(/at column \d+/);

    const unpartitioned = expectError(await select('geometry[x]'), 400, 'q');
    expect(unpartitioned.message).toMatch(/^asset geometry is not partitioned/);
    expect(unpartitioned.hint).toBe('select it without brackets: geometry');
  });

  it('refuses unknown parameters with a suggestion', async () => {
    const typo = expectError(await getJson(app, '/api/selection?selection=slow'), 400, 'selection');
    expect(typo.hint).toBe('accepted: q');
  });
});
