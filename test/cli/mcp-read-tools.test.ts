// The read tools of `strata mcp`, driven by the SDK's own client over stdio against the built
// CLI and a real database, on a study materialized by `strata materialize` (loads -> designs ->
// metrics per design point -> pareto_front): every read tool is marked read-only; status tells
// fresh from missing; materializations pages a metrics table; provenance reaches the run and who
// launched it, and shows tool calls' arguments; after the observed loads change and a design fails to solve, status and why name
// the cause (the same answer as `strata why --json`), list_runs and get_run the failed step and
// its error; bad arguments come back as tool errors naming the argument.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/access/index.js';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT, runCli } from './cli-harness.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/mcp-study.ts');
const READ_TOOLS = [
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
  'provenance',
  'status',
  'validate_plan',
  'why',
];

let client: Client;
let directory: string;

/** Writes the loads file the fixture's source asset observes. */
async function writeLoads(loads: Record<string, unknown>): Promise<void> {
  await writeFile(process.env.STRATA_TEST_LOADS!, JSON.stringify(loads));
}

/** `strata ARGV` in-process on the test database and the fixture. */
async function cli(...argv: string[]) {
  return runCli([...argv, '--definitions', FIXTURE], { databaseUrl: database.url });
}

/** The structured answer of a tool call (failing the test on a tool error). */
async function call(name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
}

/** The text of a tool call that must fail. */
async function failure(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
  return (result.content as { text: string }[]).map((c) => c.text).join('\n');
}

/** The assets of a `status` answer by key. */
async function statusByKey(args: Record<string, unknown> = {}) {
  const answer = (await call('status', args)) as { assets: { key: string }[] };
  return new Map(answer.assets.map((asset) => [asset.key, asset]));
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'strata-mcp-read-'));
  process.env.STRATA_TEST_LOADS = path.join(directory, 'loads.json');
  await writeLoads({ tip_load_n: 100 });
  const first = await cli('materialize', '+metrics');
  expect(first.code, first.stderr).toBe(0);
  client = new Client({ name: 'read-tools-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [path.join(REPO_ROOT, 'bin/strata.js'), 'mcp', '--definitions', FIXTURE],
      env: { ...(process.env as Record<string, string>), DATABASE_URL: database.url },
      stderr: 'pipe',
    }),
  );
});

afterAll(async () => {
  await client?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe('after strata materialize +metrics', () => {
  it('lists every read tool as read-only, and the prompt', async () => {
    const { tools } = await client.listTools();
    const readOnly = tools.filter((t) => t.annotations?.readOnlyHint === true).map((t) => t.name);
    expect(readOnly.sort()).toEqual(READ_TOOLS);
    expect(tools.map((t) => t.name).sort()).toEqual(
      [...READ_TOOLS, 'propose_plan', 'revise_plan', 'withdraw_plan'].sort(),
    );
    const { prompts } = await client.listPrompts();
    expect(prompts).toMatchObject([
      { name: 'propose_next_experiment', arguments: [{ name: 'study', required: true }] },
    ]);
  });

  it('status tells fresh from missing', async () => {
    const assets = await statusByKey();
    const expected: [string, Record<string, unknown>][] = [
      ['loads', { status: 'fresh', counts: { fresh: 1, stale: 0, missing: 0, total: 1 } }],
      ['designs', { status: 'fresh', counts: { fresh: 1, stale: 0, missing: 0, total: 1 } }],
      ['metrics', { status: 'fresh', counts: { fresh: 3, stale: 0, missing: 0, total: 3 } }],
      ['pareto_front', { status: 'missing', counts: { fresh: 0, stale: 0, missing: 1, total: 1 } }],
    ];
    for (const [key, status] of expected) expect(assets.get(key), key).toMatchObject(status);
    expect(assets.get('pareto_front')).not.toHaveProperty('lastMaterializedAt');
    expect(assets.get('metrics')).toHaveProperty('lastMaterializedAt');
  });

  it('status pages the partitions of one asset', async () => {
    const first = await call('status', { asset: 'metrics', limit: 2 });
    expect(first).toMatchObject({
      key: 'metrics',
      status: 'fresh',
      partitions: [
        { partition: 'd1', status: 'fresh', materializationId: expect.any(Number) },
        { partition: 'd2', status: 'fresh' },
      ],
      total: 3,
      next: 2,
    });
    const second = await call('status', { asset: 'metrics', offset: 2, limit: 2 });
    expect(second).toMatchObject({ partitions: [{ partition: 'd3' }], total: 3, next: null });
  });

  it('materializations pages the metrics table, one row per design point', async () => {
    const first = await call('materializations', { asset: 'metrics', limit: 2 });
    expect(first).toEqual({
      key: 'metrics',
      columns: [
        'partition',
        'id',
        'status',
        'value.massKg',
        'value.material',
        'value.tipDeflectionMm',
        'metadata.mass_kg',
        'metadata.tip_deflection_mm',
      ],
      rows: [
        ['d1', expect.any(Number), 'fresh', 8, 'steel', 12.5, 8, 12.5],
        ['d2', expect.any(Number), 'fresh', 12, 'titanium', 8.333, 12, 8.333],
      ],
      total: 3,
      next: 2,
    });
    const rounded = await call('materializations', { asset: 'metrics', limit: 2, digits: 2 });
    expect((rounded.rows as unknown[][])[1]!.slice(3)).toEqual([12, 'titanium', 8.3, 12, 8.3]);
    const last = await call('materializations', { asset: 'metrics', offset: 2, limit: 2 });
    expect(last).toMatchObject({
      rows: [['d3', expect.any(Number), 'fresh', 16, 'steel', 6.25, 16, 6.25]],
      next: null,
    });
  });

  it('provenance reaches the run and who launched it', async () => {
    const provenance = await call('provenance', { materialization: 'metrics[d1]' });
    expect(provenance).toMatchObject({
      assetKey: 'metrics',
      partitionKey: 'd1',
      codeVersion: '1',
      value: { material: 'steel', massKg: 8, tipDeflectionMm: 12.5 },
      metadata: { mass_kg: 8, tip_deflection_mm: 12.5 },
      run: {
        runId: provenance.runId,
        status: 'succeeded',
        selection: '+metrics',
        launchedBy: localActor(),
      },
    });
    const inputs = (provenance.inputs as { assetKey: string }[]).map((i) => i.assetKey).sort();
    expect(inputs).toEqual(['designs', 'loads']);
  });

  it('provenance shows what each tool call was sent, leaving out arguments too long to show', async () => {
    const { materializationId } = await call('provenance', { materialization: 'metrics[d2]' });
    const row = (tool: string, args: unknown) => ({
      attempt_id: 0,
      materialization_id: materializationId as number,
      server: 'solver',
      tool,
      argument_hash: `${tool}-hash`,
      arguments: args === null ? null : JSON.stringify(args),
      idempotency_key: `${tool}-key`,
      status: 'succeeded' as const,
      started_at: new Date(),
      duration_ms: 3,
    });
    await database.db
      .insertInto('strata_internal.tool_calls')
      .values([
        row('solve', { x: 2, api_key: '[redacted]' }),
        row('long', { blob: 'b'.repeat(5_000) }),
        row('legacy', null),
      ])
      .execute();
    const provenance = await call('provenance', { materialization: 'metrics[d2]' });
    expect(provenance.toolCalls).toEqual([
      expect.objectContaining({ tool: 'solve', arguments: { api_key: '[redacted]', x: 2 } }),
      expect.objectContaining({
        tool: 'long',
        argumentHash: 'long-hash',
        argumentsOmitted: '5011 characters: too long to show here',
      }),
      expect.objectContaining({ tool: 'legacy', arguments: null }),
    ]);
  });

  it('lineage walks upstream by depth and pages the materializations', async () => {
    const first = await call('lineage', { materialization: 'metrics[d1]', depth: 1, limit: 2 });
    const root = first.root as number;
    expect(first).toMatchObject({
      direction: 'upstream',
      depth: 1,
      total: 3,
      next: 2,
      nodes: [{ materializationId: root, assetKey: 'metrics', partitionKey: 'd1', depth: 0 }, {}],
    });
    const nodes = first.nodes as { inputs?: { inputName: string }[] }[];
    expect(nodes[0]!.inputs!.map((i) => i.inputName).sort()).toEqual(['designs', 'loads']);
    const rest = await call('lineage', {
      materialization: String(root),
      depth: 1,
      offset: 2,
      limit: 2,
    });
    expect(rest).toMatchObject({ nodes: [{ depth: 1 }], next: null });
    const keys = [...nodes.slice(1), ...(rest.nodes as object[])].map(
      (n) => (n as { assetKey: string }).assetKey,
    );
    expect(keys.sort()).toEqual(['designs', 'loads']);
  });

  it('the prompt names the metrics table, the front and the plan tools', async () => {
    const prompt = await client.getPrompt({
      name: 'propose_next_experiment',
      arguments: { study: 'bracket' },
    });
    const text = (prompt.messages[0]!.content as { text: string }).text;
    expect(text).toContain('`materializations` of "metrics"');
    expect(text).toContain('`provenance` of "pareto_front"');
    expect(text).toContain('height_m in [0.06, 0.2]');
    expect(text).toMatch(/`validate_plan`.*`propose_plan`/s);
    await expect(
      client.getPrompt({ name: 'propose_next_experiment', arguments: { study: 'brackt' } }),
    ).rejects.toThrow(/argument study: unknown study "brackt" \(did you mean bracket\?\)/);
  });
});

describe('after the loads change and a design fails to solve', () => {
  let failedRun: number;
  beforeAll(async () => {
    await writeLoads({ tip_load_n: 120, diverge: 'd2' });
    const second = await cli('materialize', 'metrics');
    expect(second.code, second.stdout).toBe(1);
    failedRun = Number(/run (\d+)/.exec(second.stdout + second.stderr)![1]);
  });

  it('status shows the stale design point with its cause', async () => {
    const assets = await statusByKey({ selection: '+metrics' });
    expect([...assets.keys()].sort()).toEqual(['designs', 'loads', 'metrics']);
    expect(assets.get('metrics')).toMatchObject({
      status: 'stale',
      counts: { fresh: 2, stale: 1, missing: 0, total: 3 },
      mainCause: 'data',
      causes: [{ category: 'data', dependency: 'loads', partitions: 1 }],
    });
    const stale = await call('status', { asset: 'metrics', status: 'stale' });
    expect(stale).toMatchObject({
      partitions: [{ partition: 'd2', causes: [{ category: 'data', dependency: 'loads' }] }],
      total: 1,
    });
    // The same totals as strata status --json (freshness left out: no asset has a policy).
    const { totals } = JSON.parse((await runCliJson('status')).stdout) as {
      totals: { freshness: Record<string, number> };
    };
    const { freshness, ...counts } = totals;
    expect(freshness).toEqual({ pass: 0, warn: 0, fail: 0 });
    expect((await call('status')).totals).toEqual(counts);
  });

  it('why names the changed input, as strata why --json does', async () => {
    const why = await call('why', { asset: 'metrics[d2]' });
    expect(why).toMatchObject({
      key: 'metrics',
      partition: 'd2',
      status: 'stale',
      causes: [{ category: 'data', dependency: 'loads' }],
    });
    expect(why).toEqual(JSON.parse((await runCliJson('why', 'metrics[d2]')).stdout));
  });

  it('list_runs and get_run show the failed step and its error', async () => {
    const { runs } = (await call('list_runs', { limit: 1 })) as { runs: unknown[] };
    const failure = {
      key: 'metrics',
      partition: 'd2',
      attempts: 1,
      error: 'the solve of d2 diverged',
      hint: 'refine the mesh',
    };
    expect(runs).toMatchObject([
      {
        runId: failedRun,
        status: 'failed',
        selection: 'metrics',
        launchedBy: localActor(),
        steps: { failed: 1, total: 3 },
        failures: [failure],
      },
    ]);
    expect(await call('get_run', { id: failedRun })).toMatchObject({
      runId: failedRun,
      failures: [failure],
      next: null,
    });
    const failed = (await call('list_runs', { status: 'failed' })) as { runs: unknown[] };
    expect(failed).toMatchObject({ runs: [{ runId: failedRun }], next: null });
    expect(await call('list_runs', { status: 'succeeded' })).toMatchObject({
      runs: [{ status: 'succeeded', selection: '+metrics' }],
    });
  });

  it.each([
    ['status', { selection: 'metrix' }, /^argument selection: .*\nhint: did you mean metrics\?/],
    [
      'status',
      { asset: 'metric' },
      /^argument asset: unknown asset metric\nhint: did you mean metrics\?/,
    ],
    [
      'status',
      { asset: 'metrics', selection: '*' },
      /^argument asset: give either asset or selection/,
    ],
    ['status', { status: 'old' }, /Invalid arguments for tool status: .* at status/],
    ['why', { asset: 'metrics' }, /^argument asset: asset metrics is partitioned/],
    [
      'why',
      { asset: 'metrics[d9]' },
      /^argument asset: metrics\[d9\] does not exist\nhint: partitions of metrics: d1, d2, d3/,
    ],
    ['why', { asset: 'a[b' }, /^argument asset: "a\[b" is not an asset partition/],
    [
      'lineage',
      { materialization: 'pareto_front' },
      /^argument materialization: pareto_front has never been materialized/,
    ],
    ['lineage', { materialization: 'metrics[d1]', depth: -1 }, /Too small.* at depth/],
    ['lineage', { materialization: 'metrics[d1]', direction: 'sideways' }, /at direction/],
    [
      'provenance',
      { materialization: '#999999' },
      /^argument materialization: materialization #999999 does not exist/,
    ],
    [
      'materializations',
      { asset: 'metrix' },
      /^argument asset: unknown asset metrix\nhint: did you mean metrics\?/,
    ],
    ['materializations', { asset: 'metrics', limit: 0 }, /Too small.* at limit/],
    ['get_run', { id: 999_999 }, /^argument id: run 999999 does not exist/],
    ['get_run', { id: 'one' }, /at id/],
    ['list_runs', { limt: 2 }, /Unrecognized key: "limt"/],
  ])('%s %j is a tool error naming the argument', async (tool, args, message) => {
    expect(await failure(tool, args)).toMatch(message);
  });
});

/** `strata ARGV --json` in-process, which must succeed. */
async function runCliJson(...argv: string[]) {
  const result = await cli(...argv, '--json');
  expect(result.code, result.stderr).toBe(0);
  return result;
}
