// The whole plan path over HTTP, as a deployed team runs it: an AI planner speaks MCP over
// Streamable HTTP with its planner token (the SDK's client on a real port), proposes a plan and
// gets the URL where a person reviews it; the planner's token cannot approve it; an approver's
// can, an operator's executes it and the server's worker pool runs it to the checkpoint; the
// approver continues it; the planner reads back over MCP the plan's runs, its results (exactly
// its design points) and the provenance of its front, which reaches both approvals.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/access/index.js';
import { MCP_SERVER_VERSION, mcpHttpHandler } from '../../src/mcp/index.js';
import { parseExperimentPlan, planDesignPoints } from '../../src/plans/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { beamPlanDocument, beamStudyGraph } from '../support/beam-study.js';
import { useTestDatabase } from '../support/database.js';
import { testEngine } from '../support/engine.js';
import { awaitRun, expectError, postJson } from './server-harness.js';

const database = useTestDatabase();
const graph = beamStudyGraph({ setName: 'mcp_http_plans' });
const token: Record<string, string> = {};
let server: RunningServer;
let client: Client;

const as = (role: string) => ({ Authorization: `Bearer ${token[role]!}` });

beforeAll(async () => {
  server = await startServer(testEngine(database, graph), {
    port: 0,
    requireTokens: true,
    mcp: mcpHttpHandler(graph, database.db, MCP_SERVER_VERSION),
  });
  for (const role of ['planner', 'approver', 'operator'] as const)
    token[role] = (
      await createApiToken(database.db, { name: `${role}-1`, role, createdBy: 'test@host' })
    ).token;
  client = new Client({ name: 'planner-over-http', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: as('planner') },
    }),
  );
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

async function call(name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
}

describe('plans over MCP and HTTP', () => {
  it('goes from a planner token to results a person approved at every step', async () => {
    const document = beamPlanDocument('over http', {
      seed: 31,
      checkpoints: [{ after: 'section', note: 'look at the sections' }],
    });
    const proposed = await call('propose_plan', { plan: document });
    const id = proposed.id as string;
    expect(proposed).toMatchObject({
      proposedBy: 'planner-1',
      review: { url: `${server.url}/#/plans/${id}` },
      dryRun: { designPoints: 3, sharedDesignPoints: 0 },
    });

    expectError(await postJson(server.app, `/api/plans/${id}/approve`, {}, as('planner')), 403);
    await postJson(server.app, `/api/plans/${id}/approve`, { comment: 'fine' }, as('approver'));
    const executed = await postJson(server.app, `/api/plans/${id}/execute`, {}, as('operator'));
    expect(executed.status).toBe(202);
    const first = (executed.body as { runId: number }).runId;
    expect((await awaitRun(server.app, first, as('operator'))).status).toBe('succeeded');
    expect(await call('get_plan', { id })).toMatchObject({ state: 'waiting' });

    const continued = await postJson(
      server.app,
      `/api/plans/${id}/continue`,
      { comment: 'sections fine' },
      as('approver'),
    );
    expect(continued.status).toBe(202);
    const second = (continued.body as { runId: number }).runId;
    expect((await awaitRun(server.app, second, as('approver'))).status).toBe('succeeded');

    expect(await call('get_plan', { id })).toMatchObject({
      state: 'done',
      runs: [
        { runId: first, stopsAtCheckpoint: 1, launchedBy: 'operator-1' },
        { runId: second, stopsAtCheckpoint: null, launchedBy: 'approver-1' },
      ],
    });
    const expected = planDesignPoints(parseExperimentPlan(document), {
      variables: { h: { min: 0.05, max: 0.2 } },
      levels: {},
    }).map((p) => p.key);
    const solves = await call('materializations', { asset: 'solve', plan: id });
    expect((solves.rows as unknown[][]).map((row) => row[0]).sort()).toEqual([...expected].sort());
    expect(await call('provenance', { materialization: `front[${id}]` })).toMatchObject({
      plan: {
        id,
        approvals: [
          { of: 'plan', by: 'approver-1', comment: 'fine' },
          { of: 'checkpoint', by: 'approver-1', comment: 'sections fine' },
        ],
      },
    });
  });
});
