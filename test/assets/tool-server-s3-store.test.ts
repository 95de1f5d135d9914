// A tool server started by a worker whose artifact store is S3 (a real s3rver process): the
// example's mesher, declared to use the store, opens it from the location the worker gives it
// ($STRATA_ARTIFACT_STORE) with the worker's AWS_* variables, reads a geometry the worker stored
// and stores a mesh the worker then reads; its idempotency answers are local files, not in the
// bucket. A server not declared to use the store is told where it is and gets no credential.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openArtifactStore, type ArtifactStore } from '../../src/artifacts/index.js';
import { artifactRefSchema, asset, mcpStdioServer } from '../../src/definitions/index.js';
import { canonicalGeometry, parseMesh } from '../../assets/tools/fea/index.js';
import { summaryOf } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { startS3rver, type S3rverProcess } from '../support/s3rver-process.js';

const database = useTestDatabase();
const BUCKET = 'strata-tools';
/** s3rver's fixed credentials, in the worker's environment as the SDK's chain reads them. */
const WORKER_AWS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
};
const MESHER = fileURLToPath(new URL('../../assets/tools/mesher-server.ts', import.meta.url));
const COUNTER = fileURLToPath(new URL('../fixtures/tools/counter-tool-server.ts', import.meta.url));

let dir: string;
let s3: S3rverProcess;
let store: ArtifactStore;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'strata-tools-s3-'));
  s3 = await startS3rver(path.join(dir, 's3'), BUCKET);
  const workerEnv = { ...WORKER_AWS, AWS_ENDPOINT_URL_S3: s3.endpoint };
  for (const [name, value] of Object.entries(workerEnv)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  store = await openArtifactStore({
    location: `s3://${BUCKET}/study`,
    defaultDirectory: path.join(dir, 'unused'),
    cwd: dir,
    env: process.env,
  });
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a tool server of a worker whose artifact store is S3', () => {
  it('reads what the worker stored and stores what the worker reads, with local answers', async () => {
    const stateDir = path.join(dir, 'tool-state');
    const workLog = path.join(dir, 'work.log');
    writeFileSync(workLog, '');
    const geometry = asset({
      key: 'geometry',
      codeVersion: '1',
      schema: artifactRefSchema,
      compute: (ctx) =>
        ctx.artifacts.put(
          'bracket.json',
          JSON.stringify(canonicalGeometry({ lengthM: 1, heightM: 0.1, thicknessM: 0.02 })),
          'application/json',
        ),
    });
    const mesh = asset({
      key: 'mesh',
      codeVersion: '1',
      deps: { geometry },
      schema: z.object({ mesh: artifactRefSchema, nodes: z.number() }),
      compute: async (ctx) => {
        const { structured } = await ctx.tools.call<{
          mesh: z.infer<typeof artifactRefSchema>;
          nodes: number;
        }>('mesher', 'mesh', {
          geometry: ctx.inputs.geometry,
          elements_through_height: 2,
          max_aspect_ratio: 2,
        });
        return { mesh: structured.mesh, nodes: structured.nodes };
      },
    });
    // The worker reads the mesh the tool server stored in the bucket.
    const meshNodes = asset({
      key: 'mesh_nodes',
      codeVersion: '1',
      deps: { mesh },
      schema: z.number(),
      compute: async (ctx) =>
        parseMesh((await ctx.artifacts.read(ctx.inputs.mesh.mesh)).toString('utf8')).nodes.length,
    });
    let counterEnv: string[] = [];
    const environment = asset({
      key: 'counter_environment',
      codeVersion: '1',
      schema: z.number(),
      compute: async (ctx) => {
        counterEnv = (await ctx.tools.call<{ keys: string[] }>('counter', 'env', {})).structured
          .keys;
        return counterEnv.length;
      },
    });
    const graph = graphOf([geometry, mesh, meshNodes, environment], {
      tools: {
        mesher: mcpStdioServer({
          command: process.execPath,
          args: ['--import', 'tsx', MESHER],
          artifactStore: true,
          env: { STRATA_TOOL_STATE: stateDir },
        }),
        counter: mcpStdioServer({
          command: process.execPath,
          args: ['--import', 'tsx', COUNTER],
          env: { WORK_LOG: workLog },
        }),
      },
    });

    const summary = summaryOf(await run(database, graph, { artifacts: store }));
    expect(summary.steps.filter((s) => s.status !== 'succeeded')).toEqual([]);

    const materialized = await database.db
      .selectFrom('strata_internal.materializations')
      .select(['asset_key', 'value'])
      .where('run_id', '=', summary.runId)
      .execute();
    const valueOf = (key: string) => materialized.find((m) => m.asset_key === key)?.value;
    const meshValue = valueOf('mesh') as { mesh: { artifact: string }; nodes: number };
    // The tool's mesh is in the bucket, and the worker read it back whole.
    expect(meshValue.mesh.artifact).toMatch(/^sha256:/);
    expect(await store.has(meshValue.mesh.artifact as never)).toBe(true);
    expect(valueOf('mesh_nodes')).toBe(meshValue.nodes);

    // The mesher's answer to the call is a local file of its state directory, not in the store.
    const [call] = await database.db
      .selectFrom('strata_internal.tool_calls')
      .select(['idempotency_key'])
      .where('run_id', '=', summary.runId)
      .where('server', '=', 'mesher')
      .execute();
    expect(
      existsSync(path.join(stateDir, 'tool-results', 'mesher', `${call!.idempotency_key}.json`)),
    ).toBe(true);
    expect(readdirSync(stateDir)).toEqual(['tool-results']);

    // A server not declared to use the store knows where it is, and holds no credential.
    expect(counterEnv).toContain('STRATA_ARTIFACT_STORE');
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_S3'])
      expect(counterEnv).not.toContain(name);
  });
});
