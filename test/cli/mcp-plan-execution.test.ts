// The whole path with a real MCP client (the SDK's, over stdio) as the AI planner: it reads the
// status, proposes a plan outside the study (every problem with its field), proposes a good one
// (its dry run, where a human reviews it), cannot approve; a human approves and executes it with
// the CLI, it waits at its checkpoint, the human continues it; the planner then reads the plan's
// runs, its results (exactly the approved plan's design points) and the provenance of its
// front, which reaches the approvals. A second plan sampling the same points is told, in its dry
// run, that they are built already.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExperimentPlan, planDesignPoints } from '../../src/plans/index.js';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli } from './cli-process.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/doe-study.ts');
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const PLAN = {
  version: 1,
  study: 'beam',
  title: 'Thin sections',
  rationale: 'the front is sparse below h = 0.09',
  predecessor: null,
  variables: { h: { min: 0.06, max: 0.09 } },
  doe: { kind: 'latin_hypercube', samples: 3, seed: 8 },
  pipeline: '+front',
  checkpoints: [{ after: 'section', note: 'check the sections' }],
};

async function call(name: string, args: Record<string, unknown> = {}) {
  const result = await client!.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
}

/** A person at the CLI: a real `strata` process (its solves finish at once). */
function human(argv: string[]) {
  return startCli(argv, {
    databaseUrl: database.url,
    definitions: FIXTURE,
    env: { STRATA_FIXTURE_FAST: '1' },
  }).done;
}

describe('an AI planner over MCP, a human at the gate', () => {
  it(
    'proposes, waits for approval, and reads back exactly what ran',
    { timeout: 120_000 },
    async () => {
      client = new Client({ name: 'planner-e2e', version: '1.0.0' });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [path.join(REPO_ROOT, 'bin/strata.js'), 'mcp', '--definitions', FIXTURE],
          env: { ...(process.env as Record<string, string>), DATABASE_URL: database.url },
          stderr: 'pipe',
        }),
      );
      const { tools } = await client.listTools();
      expect(tools.some((t) => /approve|execute|continue/.test(t.name))).toBe(false);
      expect(await call('status')).toMatchObject({ assets: expect.any(Array) });

      const wide = await client.callTool({
        name: 'propose_plan',
        arguments: { plan: { ...PLAN, variables: { h: { min: 0.01, max: 0.3 } } } },
      });
      expect(wide.isError).toBe(true);
      const problems = JSON.stringify(wide.content);
      expect(problems).toContain('variables.h.min');
      expect(problems).toContain('variables.h.max');

      const proposed = await call('propose_plan', { plan: PLAN, comment: 'thin next' });
      const id = proposed.id as string;
      expect(proposed).toMatchObject({
        state: 'proposed',
        dryRun: {
          designPoints: 3,
          sharedDesignPoints: 0,
          assets: [
            { asset: 'designs', partitions: 1, built: 0 },
            { asset: 'section', partitions: 3, built: 0 },
            { asset: 'solve', partitions: 3, built: 0 },
            { asset: 'front', partitions: 1, built: 0 },
          ],
        },
        review: { cli: `strata plans show ${id}; strata plans approve ${id}` },
      });

      // A human approves and executes it; it waits at the checkpoint, then goes on.
      expect((await human(['plans', 'approve', id, '--comment', 'ok'])).code).toBe(0);
      const first = await human(['plans', 'execute', id]);
      expect(first.code, first.stderr).toBe(0);
      expect(await call('get_plan', { id })).toMatchObject({
        state: 'waiting',
        runs: [{ status: 'succeeded', stopsAtCheckpoint: 1 }],
      });
      const second = await human(['plans', 'continue', id, '--comment', 'sections fine']);
      expect(second.code, second.stderr).toBe(0);
      expect(await call('get_plan', { id })).toMatchObject({
        state: 'done',
        runs: [
          { status: 'succeeded', stopsAtCheckpoint: 1 },
          { status: 'succeeded', stopsAtCheckpoint: null },
        ],
      });

      // The results are exactly the approved plan's design points.
      const expected = planDesignPoints(parseExperimentPlan(PLAN), {
        variables: { h: { min: 0.05, max: 0.2 } },
        levels: {},
      }).map((p) => p.key);
      const solves = await call('materializations', { asset: 'solve', plan: id });
      expect(solves).toMatchObject({ total: 3, columns: ['partition', 'id', 'status', 'value'] });
      expect((solves.rows as unknown[][]).map((row) => row[0]).sort()).toEqual(
        [...expected].sort(),
      );
      const provenance = await call('provenance', { materialization: `front[${id}]` });
      expect(provenance).toMatchObject({
        plan: {
          id,
          state: 'done',
          approvals: [
            { of: 'plan', comment: 'ok' },
            { of: 'checkpoint', comment: 'sections fine' },
          ],
        },
      });
      const notRun = await client.callTool({
        name: 'materializations',
        arguments: { asset: 'solve', plan: 'plan-0000000000000000' },
      });
      expect(notRun.isError).toBe(true);
      expect(JSON.stringify(notRun.content)).toContain(
        'argument plan: solve has no partitions of plan plan-0000000000000000',
      );

      // The same points again, under another title: the dry run says they are built.
      const again = await call('propose_plan', { plan: { ...PLAN, title: 'Thin sections again' } });
      expect(again).toMatchObject({
        dryRun: {
          designPoints: 3,
          sharedDesignPoints: 3,
          assets: expect.arrayContaining([{ asset: 'solve', partitions: 3, built: 3 }]),
        },
      });
    },
  );
});
