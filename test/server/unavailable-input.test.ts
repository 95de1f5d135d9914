// POST /api/runs of a selection reading an input nothing provides answers 409 with the
// planner's message and hint; a bad selection stays a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import { expectError, postJson, releaseSlow, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
let app: StrataApp;

beforeAll(() => {
  app = testApp(database, testGraph(), tempArtifacts());
});
afterAll(async () => {
  releaseSlow();
  await app.close();
});

describe('POST /api/runs on an empty database', () => {
  const cases = [
    {
      selection: 'summary',
      status: 409,
      field: undefined,
      message:
        'sim/mesh[coarse] has never been materialized and is not selected, so summary, which reads it, cannot be planned',
      hint: 'select it too, e.g. "+summary", or materialize sim/mesh first',
    },
    {
      selection: 'sim/mesh',
      status: 409,
      field: undefined,
      message:
        'geometry has never been materialized and is not selected, so sim/mesh[coarse], which reads it, cannot be planned',
      hint: 'select it too, e.g. "+sim/mesh", or materialize geometry first',
    },
    {
      selection: 'mesh++ + foo',
      status: 400,
      field: 'selection',
      message: 'unexpected "+ + foo" after "mesh+" in selection "mesh++ + foo" at column 6',
      hint: undefined,
    },
  ];
  it.each(cases)('$selection: $status', async ({ selection, status, field, message, hint }) => {
    const error = expectError(await postJson(app, '/api/runs', { selection }), status, field);
    expect(error.message).toBe(message);
    if (hint !== undefined) expect(error.hint).toBe(hint);
  });
});
