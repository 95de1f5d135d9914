// Revising plans end to end, with a real MCP client (the SDK's, over stdio) acting as an AI
// planner and the CLI as a person: revise_plan makes a new plan recording its predecessor and
// answers exactly the fields that changed; invalid changes are refused field by field, an unknown
// plan by its id; diff_plans and `strata plans diff` (one or two ids, human and --json) agree.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT, runCli } from './cli-harness.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/plan-study.ts');
let client: Client;

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

beforeAll(async () => {
  client = new Client({ name: 'revision-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [path.join(REPO_ROOT, 'bin/strata.js'), 'mcp', '--definitions', FIXTURE],
      env: { ...(process.env as Record<string, string>), DATABASE_URL: database.url },
      stderr: 'pipe',
    }),
  );
}, 30_000);
afterAll(async () => {
  await client?.close();
});

/** The structured answer of a tool call (failing the test on a tool error). */
async function call(name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
}

/** The text of a tool call that must fail. */
async function refusal(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBe(true);
  return (result.content as { text: string }[]).map((c) => c.text).join('\n');
}

const cli = (...argv: string[]) =>
  runCli(['plans', ...argv, '--definitions', FIXTURE], { databaseUrl: database.url });

describe('revising a plan', () => {
  let first: string;
  let second: string;

  it('revise_plan proposes a new plan naming its predecessor, with the diff', async () => {
    first = (await call('propose_plan', { plan: PLAN })).id as string;
    const revised = await call('revise_plan', {
      id: first,
      changes: {
        title: 'Thinner titanium',
        variables: { height_m: { max: 0.12 } },
        doe: { samples: 6 },
      },
      comment: 'the approver asked for more points',
    });
    second = revised.id as string;
    expect(second).not.toBe(first);
    expect(revised).toMatchObject({
      state: 'proposed',
      predecessor: first,
      title: 'Thinner titanium',
      document: {
        predecessor: first,
        variables: { height_m: { min: 0.1, max: 0.12 } },
        levels: { material: ['titanium'] },
        doe: { kind: 'latin_hypercube', samples: 6, seed: 3 },
      },
      transitions: [{ to: 'proposed', comment: 'the approver asked for more points' }],
      dryRun: { assets: expect.any(Array) },
      review: { cli: `strata plans show ${second}; strata plans approve ${second}` },
    });
    expect(revised.diff).toEqual([
      { path: 'title', kind: 'changed', before: 'Titanium only', after: 'Thinner titanium' },
      { path: 'predecessor', kind: 'changed', before: null, after: first },
      { path: 'variables.height_m.max', kind: 'changed', before: 0.15, after: 0.12 },
      { path: 'doe.samples', kind: 'changed', before: 4, after: 6 },
    ]);
    expect(await call('get_plan', { id: second })).toMatchObject({ predecessor: first });
    expect(await call('get_plan', { id: first })).toMatchObject({ state: 'proposed' });
  });

  it('diff_plans compares two plans, or one with its predecessor', async () => {
    const expected = { a: first, b: second, changes: expect.any(Array) };
    const withPredecessor = await call('diff_plans', { b: second });
    expect(withPredecessor).toEqual(expected);
    expect(await call('diff_plans', { a: first, b: second })).toEqual(withPredecessor);
    expect(await call('diff_plans', { a: second, b: second })).toEqual({
      a: second,
      b: second,
      changes: [],
    });
    expect(await refusal('diff_plans', { b: first })).toContain(
      `plan ${first} revises no plan: there is nothing to compare it with`,
    );
  });

  it('refuses invalid changes field by field, and an unknown plan by its id', async () => {
    const invalid = await refusal('revise_plan', {
      id: second,
      changes: { variables: { height_m: { max: 0.5 } }, levels: { material: ['wood'] } },
    });
    expect(invalid).toContain('argument changes: the plan is not valid (2 problems)');
    expect(invalid).toContain("variables.height_m.max: 0.5 exceeds the study's bound 0.2");
    expect(invalid).toContain('levels.material[0]: "wood" is not a level');
    expect(await refusal('revise_plan', { id: second, changes: { doe: { seed: 'x' } } })).toMatch(
      /argument changes: .*\n\s+doe\.seed: /,
    );
    expect(
      await refusal('revise_plan', { id: second, changes: { doe: { samples: 6 } } }),
    ).toContain(`argument changes: the changes leave plan ${second} as it is`);
    expect(
      await refusal('revise_plan', { id: 'plan-0000000000000000', changes: { title: 'x' } }),
    ).toContain('argument id: no plan plan-0000000000000000');
    expect(await refusal('diff_plans', { a: 'plan-0000000000000001', b: second })).toContain(
      'no plan plan-0000000000000001',
    );
  });

  it('strata plans diff prints a line per change, or the JSON of diff_plans', async () => {
    // A revision of the revision: a level added, and the predecessor moves along.
    const third = (
      await call('revise_plan', {
        id: second,
        changes: { levels: { material: ['steel', 'titanium'] } },
      })
    ).id as string;
    const human = await cli('diff', third);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.trimEnd().split('\n')).toEqual([
      `${second} -> ${third}: 2 changes`,
      `~ predecessor: "${first}" -> "${second}"`,
      '+ levels.material[0]: "steel"',
    ]);
    const twoIds = await cli('diff', first, third);
    expect(twoIds.code, twoIds.stderr).toBe(0);
    expect(twoIds.stdout.trimEnd().split('\n')).toEqual([
      `${first} -> ${third}: 5 changes`,
      '~ title: "Titanium only" -> "Thinner titanium"',
      `~ predecessor: null -> "${second}"`,
      '~ variables.height_m.max: 0.15 -> 0.12',
      '+ levels.material[0]: "steel"',
      '~ doe.samples: 4 -> 6',
    ]);
    const json = await cli('diff', first, second, '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(await call('diff_plans', { a: first, b: second }));
    const reverse = await cli('diff', third, first);
    expect(reverse.stdout).toContain('- levels.material[0]: "steel"');
  });

  it('strata plans diff names an unknown plan, and a plan that revises none', async () => {
    const unknown = await cli('diff', first, 'plan-00000000000000ff');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no plan plan-00000000000000ff');
    const alone = await cli('diff', first);
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toContain(`plan ${first} revises no plan`);
    const missing = await cli('diff');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('strata plans diff needs one or two plan ids');
    const extra = await cli('show', first, second);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain(`unexpected argument "${second}" for strata plans show`);
  });
});
