// `strata materialize --json` includes what observing the source assets found before planning
// (`observed`, the facts the human output prints as a table), run or nothing to do.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT, runCli } from './cli-harness.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/mcp-study.ts');
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'strata-materialize-json-'));
  process.env.STRATA_TEST_LOADS = path.join(directory, 'loads.json');
});

afterAll(async () => {
  delete process.env.STRATA_TEST_LOADS;
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

/** In order: each materializes `+metrics` with the loads file as given. */
const cases: ReadonlyArray<{
  name: string;
  tipLoad: number;
  flags?: string[];
  status: string;
  observed: Array<{ key: string; outcome: string }>;
}> = [
  {
    name: 'first run: the source is new',
    tipLoad: 100,
    status: 'succeeded',
    observed: [{ key: 'loads', outcome: 'new' }],
  },
  {
    name: 'nothing to do: the source is unchanged',
    tipLoad: 100,
    status: 'nothing_to_do',
    observed: [{ key: 'loads', outcome: 'unchanged' }],
  },
  {
    name: 'the source changed: new, and the run recomputes',
    tipLoad: 120,
    status: 'succeeded',
    observed: [{ key: 'loads', outcome: 'new' }],
  },
  {
    name: '--no-observe: nothing observed',
    tipLoad: 140,
    flags: ['--no-observe'],
    status: 'nothing_to_do',
    observed: [],
  },
];

describe('strata materialize --json', () => {
  it.each(cases)('$name', async ({ tipLoad, flags = [], status, observed }) => {
    await writeFile(process.env.STRATA_TEST_LOADS!, JSON.stringify({ tip_load_n: tipLoad }));
    const result = await runCli(
      ['materialize', '+metrics', '--json', ...flags, '--definitions', FIXTURE],
      { databaseUrl: database.url },
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      status: string;
      observed: Array<{ key: string; outcome: string; dataVersion: string | null }>;
    };
    expect(json.status).toBe(status);
    expect(json.observed).toMatchObject(observed);
    for (const entry of json.observed) expect(entry.dataVersion).toMatch(/^[0-9a-f]{64}$/);
  });
});
