// `strata lineage` and `strata provenance` on recorded materializations of the fixture graph:
// geometry -> sim/mesh[coarse], sim/mesh[fine] -> summary.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { FIXTURE_ASSETS, insertRun, recordMaterialization, runCli } from './cli-harness.js';

const database = useTestDatabase();
const NOW = new Date('2024-05-01T12:00:00Z');
const run = (...argv: string[]) =>
  runCli([...argv, '--definitions', FIXTURE_ASSETS], { databaseUrl: database.url, now: NOW });

let ids: { geometry: number; coarse: number; fine: number; summary: number };

beforeAll(async () => {
  const db = database.db;
  const runId = await insertRun(db);
  const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000);
  const geometry = await recordMaterialization(db, runId, {
    key: 'geometry',
    codeVersion: 'g1',
    dataVersion: '0123456789abcdef',
    finishedAt: at(10),
  });
  const mesh = (partition: string) =>
    recordMaterialization(db, runId, {
      key: 'sim/mesh',
      partition,
      codeVersion: 'm1',
      dataVersion: `mesh-${partition}`,
      inputs: [{ inputName: 'geometry', id: geometry }],
      finishedAt: at(5),
    });
  const coarse = await mesh('coarse');
  const fine = await mesh('fine');
  const summary = await recordMaterialization(db, runId, {
    key: 'summary',
    codeVersion: 's1',
    dataVersion: 'sum-1',
    inputs: [
      { inputName: 'meshes', id: coarse },
      { inputName: 'meshes', id: fine },
    ],
    finishedAt: at(2),
  });
  ids = { geometry, coarse, fine, summary };
});

describe('strata lineage', () => {
  it('prints the upstream tree, shared nodes once', async () => {
    const result = await run('lineage', 'summary');
    expect(result.code).toBe(0);
    const { geometry, coarse, fine, summary } = ids;
    expect(result.stdout).toBe(
      [
        `#${summary} summary  data sum-1  run 1  2m ago`,
        `├─ #${coarse} sim/mesh[coarse]  data mesh-coa  run 1  5m ago`,
        `│  └─ #${geometry} geometry  data 01234567  run 1  10m ago`,
        `└─ #${fine} sim/mesh[fine]  data mesh-fin  run 1  5m ago`,
        `   └─ #${geometry} geometry (see above)`,
        '',
        '3 materializations upstream.',
        '',
      ].join('\n'),
    );
  });

  it('walks downstream from an id with a depth limit', async () => {
    const result = await run('lineage', String(ids.geometry), '--downstream', '--depth', '1');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`└─ #${ids.fine} sim/mesh[fine]`);
    expect(result.stdout).not.toContain('summary');
    expect(result.stdout).toContain('2 materializations downstream within depth 1.');
  });

  it('prints the lineage as JSON', async () => {
    const result = await run('lineage', 'sim/mesh[fine]', '--json');
    expect(JSON.parse(result.stdout)).toEqual({
      root: ids.fine,
      direction: 'upstream',
      depth: null,
      nodes: [
        {
          materializationId: ids.fine,
          assetKey: 'sim/mesh',
          partitionKey: 'fine',
          dataVersion: 'mesh-fine',
          codeVersion: 'm1',
          runId: 1,
          materializedAt: '2024-05-01T11:55:00.000Z',
          depth: 0,
        },
        expect.objectContaining({ materializationId: ids.geometry, partitionKey: null, depth: 1 }),
      ],
      edges: [{ from: ids.geometry, to: ids.fine, inputName: 'geometry' }],
      plans: [],
    });
  });

  it('explains references that match nothing', async () => {
    const never = await run('lineage', 'sim/mesh');
    expect(never.code).toBe(1);
    expect(never.stderr).toContain('error: asset sim/mesh is partitioned: name a partition');
    const unknownId = await run('lineage', '#999999');
    expect(unknownId.stderr).toContain('error: materialization #999999 does not exist');
    const both = await run('lineage', '1', '--upstream', '--downstream');
    expect(both.code).toBe(2);
  });
});

describe('strata provenance', () => {
  it('prints every recorded field, the inputs and the artifacts', async () => {
    const result = await run('provenance', 'summary');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Materialization #${ids.summary}  summary`);
    expect(result.stdout).toMatch(/^ {2}code version +s1$/m);
    expect(result.stdout).toMatch(/^ {2}finished +2024-05-01T11:58:00Z \(2m ago\)$/m);
    expect(result.stdout).toMatch(/^ {2}value +\{"v":"sum-1"\}$/m);
    expect(result.stdout).toContain('Inputs (2)');
    expect(result.stdout).toMatch(
      new RegExp(`^  meshes +sim/mesh\\[coarse\\] +#${ids.coarse} +data mesh-coarse$`, 'm'),
    );
    expect(result.stdout).toContain('Artifacts (0)');
  });

  it('prints the provenance as JSON', async () => {
    const result = await run('provenance', String(ids.fine), '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({
      materializationId: ids.fine,
      assetKey: 'sim/mesh',
      partitionKey: 'fine',
      runId: 1,
      codeVersion: 'm1',
      dataVersion: 'mesh-fine',
      value: { v: 'mesh-fine' },
      finishedAt: '2024-05-01T11:55:00.000Z',
      inputs: [
        {
          inputName: 'geometry',
          assetKey: 'geometry',
          partitionKey: null,
          materializationId: ids.geometry,
          dataVersion: '0123456789abcdef',
        },
      ],
      artifacts: [],
    });
  });

  it('prints each tool call with its arguments; calls recorded before arguments were kept still show', async () => {
    const call = (tool: string, args: unknown) => ({
      run_id: 1,
      attempt_id: 0,
      materialization_id: ids.coarse,
      server: 'solver',
      tool,
      tool_version: '1.0.0',
      argument_hash: `${tool}-hash-0123456789abcdef`,
      arguments: args === null ? null : JSON.stringify(args),
      idempotency_key: `${tool}-key`,
      result_id: `${tool}-result`,
      status: 'succeeded' as const,
      started_at: NOW,
      duration_ms: 42,
    });
    const long = { mesh: 'm'.repeat(300), tip_load_n: 1200 };
    await database.db
      .insertInto('strata_internal.tool_calls')
      .values([
        call('solve', { material: { name: 'steel' }, api_key: '[redacted]', tip_load_n: 1200 }),
        call('refine', long),
        call('legacy', null),
        call('huge', {
          $strata: 'truncated',
          bytes: 81_000,
          maxBytes: 65_536,
          argumentHash: 'huge-hash',
          keys: ['blob', 'x'],
        }),
      ])
      .execute();

    const text = await run('provenance', String(ids.coarse));
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('  solver.solve'));
    expect(lines.slice(at, at + 8)).toEqual([
      '  solver.solve   v1.0.0  args solve-hash-0  result solve-result   42ms',
      '    {"api_key":"[redacted]","material":{"name":"steel"},"tip_load_n":1200}',
      '  solver.refine  v1.0.0  args refine-hash-  result refine-result  42ms',
      `    ${JSON.stringify(long).slice(0, 200)}... (${Buffer.byteLength(JSON.stringify(long))} B; --verbose or --json shows all)`,
      '  solver.legacy  v1.0.0  args legacy-hash-  result legacy-result  42ms',
      '    arguments not recorded (called before strata kept them)',
      '  solver.huge    v1.0.0  args huge-hash-01  result huge-result    42ms',
      '    arguments not kept: 79.1 KiB, over the 64 KiB provenance keeps; keys blob, x',
    ]);
    expect(text.stdout).toContain('Tool calls (4)');

    const verbose = await run('provenance', String(ids.coarse), '--verbose');
    expect(verbose.stdout).toContain(
      ['    {', `      "mesh": "${long.mesh}",`, '      "tip_load_n": 1200', '    }'].join('\n'),
    );
    expect(verbose.stdout).toContain('args refine-hash-0123456789abcdef');

    const json = JSON.parse((await run('provenance', String(ids.coarse), '--json')).stdout) as {
      toolCalls: { tool: string; arguments: unknown }[];
    };
    expect(json.toolCalls.map((c) => [c.tool, c.arguments])).toEqual([
      ['solve', { api_key: '[redacted]', material: { name: 'steel' }, tip_load_n: 1200 }],
      ['refine', long],
      ['legacy', null],
      ['huge', expect.objectContaining({ $strata: 'truncated', bytes: 81_000 })],
    ]);
  });

  it('suggests a partition that exists', async () => {
    const result = await run('provenance', 'sim/mesh[fien]');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: sim/mesh[fien] has never been materialized');
    expect(result.stderr).toContain('hint: did you mean sim/mesh[fine]?');
  });
});
