// `strata mcp` with a real MCP client (the SDK's, over stdio) acting as an AI planner: it lists
// the tools (none approves; reads are marked read-only; mcp-read-tools.test.ts drives the read
// tools), reads the study, gets every problem of a bad plan with its field, proposes a good one,
// and cannot approve it; a human approves it with the CLI, and the planner reads the plan back,
// approved, with both names in its history.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { localActor } from '../../src/access/index.js';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT, runCli } from './cli-harness.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/plan-study.ts');
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const PLAN = {
  version: 1,
  study: 'bracket',
  title: 'Titanium only',
  rationale: 'steel is done',
  predecessor: null,
  variables: { height_m: { min: 0.1, max: 0.15 } },
  levels: { material: ['titanium'] },
  doe: { kind: 'latin_hypercube', samples: 4, seed: 3 },
  pipeline: '+mesh',
};

/** The structured answer of a tool call (failing the test on a tool error). */
async function call(name: string, args: Record<string, unknown> = {}) {
  const result = await client!.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
}

describe('strata mcp', () => {
  it('lets a planner read and propose, and only a human approve', { timeout: 60_000 }, async () => {
    client = new Client({ name: 'planner-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [path.join(REPO_ROOT, 'bin/strata.js'), 'mcp', '--definitions', FIXTURE],
        env: { ...(process.env as Record<string, string>), DATABASE_URL: database.url },
        stderr: 'pipe',
      }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'diff_plans',
      'get_plan',
      'get_run',
      'lineage',
      'list_assets',
      'list_plans',
      'list_runs',
      'list_studies',
      'materializations',
      'plan_schema',
      'propose_plan',
      'provenance',
      'revise_plan',
      'status',
      'validate_plan',
      'why',
      'withdraw_plan',
    ]);
    expect(tools.find((t) => t.name === 'list_assets')!.annotations?.readOnlyHint).toBe(true);
    expect(tools.some((t) => /approve/.test(t.name))).toBe(false);

    const studies = await call('list_studies');
    expect(studies).toMatchObject({
      studies: [{ key: 'bracket', variables: { height_m: { min: 0.06, max: 0.2 } } }],
    });
    const assets = await call('list_assets');
    expect(assets).toMatchObject({ total: 2, nextCursor: null });

    const bad = await call('validate_plan', { plan: { ...PLAN, levels: { material: ['wood'] } } });
    expect(bad).toMatchObject({
      valid: false,
      issues: [
        {
          path: 'levels.material[0]',
          message: '"wood" is not a level of the study\'s material (steel, titanium)',
        },
      ],
    });
    const proposed = await call('propose_plan', { plan: PLAN, comment: 'titanium next' });
    const id = proposed.id as string;
    expect(proposed).toMatchObject({ state: 'proposed', proposedBy: `mcp:${localActor()}` });

    const approve = await runCli(['plans', 'approve', id, '--comment', 'approved by a person'], {
      databaseUrl: database.url,
    });
    expect(approve.code, approve.stderr).toBe(0);
    const read = await call('get_plan', { id });
    expect(read).toMatchObject({
      state: 'approved',
      transitions: [
        { to: 'proposed', actor: `mcp:${localActor()}` },
        { to: 'approved', actor: localActor(), comment: 'approved by a person' },
      ],
    });
    const withdraw = await client.callTool({ name: 'withdraw_plan', arguments: { id } });
    expect(withdraw.isError).toBe(true);
    expect(JSON.stringify(withdraw.content)).toContain('is approved: it cannot be withdrawn');

    const schema = await client.readResource({ uri: 'strata://plans/schema' });
    expect(JSON.parse((schema.contents[0] as { text: string }).text)).toMatchObject({
      type: 'object',
    });
  });
});
