// MCP over Streamable HTTP at /mcp of a real server (startServer on a port), with the SDK's own
// client: a planner token lists the tools and proposes a plan recorded under its name; a viewer
// token is refused, as is a caller without a token; a loopback server refuses /mcp while no
// named token exists.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiToken } from '../../src/access/index.js';
import { asset, study } from '../../src/definitions/index.js';
import { MCP_SERVER_VERSION, mcpHttpHandler } from '../../src/mcp/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, testEngine } from '../support/engine.js';

const database = useTestDatabase();
const designs = asset({ key: 'designs', schema: z.number(), compute: () => 1 });
const graph = graphOf([designs], {
  studies: [
    study({ key: 'bracket', variables: { height_m: { min: 0.06, max: 0.2 } }, assets: [designs] }),
  ],
});
const token: Record<string, string> = {};
let secured: RunningServer;
let open: RunningServer;

beforeAll(async () => {
  const mcp = mcpHttpHandler(graph, database.db, MCP_SERVER_VERSION);
  secured = await startServer(testEngine(database, graph), {
    port: 0,
    launch: false,
    requireTokens: true,
    mcp,
  });
  open = await startServer(testEngine(database, graph), { port: 0, launch: false, mcp });
  // A loopback server without named tokens refuses /mcp (before any token exists).
  await expect(connect(open)).rejects.toThrow(/403.*MCP over HTTP needs a token/s);
  for (const role of ['planner', 'viewer'] as const)
    token[role] = (
      await createApiToken(database.db, { name: `${role}-http`, role, createdBy: 'test@host' })
    ).token;
});
afterAll(async () => {
  await secured.close();
  await open.close();
});

/** A client of `server`'s /mcp with `secret` as its bearer token. */
async function connect(server: RunningServer, secret?: string): Promise<Client> {
  const client = new Client({ name: 'planner-http-test', version: '1.0.0' });
  const headers: Record<string, string> =
    secret === undefined ? {} : { Authorization: `Bearer ${secret}` };
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } }),
  );
  return client;
}

describe('MCP over HTTP', () => {
  it('serves a planner token, and records what it proposes under its name', async () => {
    const client = await connect(secured, token.planner);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('propose_plan');
      const proposed = await client.callTool({
        name: 'propose_plan',
        arguments: {
          plan: {
            version: 1,
            study: 'bracket',
            title: 'over http',
            rationale: 'r',
            predecessor: null,
            variables: {},
            doe: { kind: 'latin_hypercube', samples: 2, seed: 1 },
            pipeline: 'designs',
          },
        },
      });
      expect(proposed.isError, JSON.stringify(proposed.content)).toBeFalsy();
      expect(proposed.structuredContent).toMatchObject({
        state: 'proposed',
        proposedBy: 'planner-http',
        transitions: [{ actor: 'planner-http', origin: expect.stringMatching(/^mcp http from /) }],
      });
    } finally {
      await client.close();
    }
  });

  it.each([
    ['a viewer token', () => connect(secured, token.viewer), /403.*may not use MCP/s],
    ['no token', () => connect(secured), /401/],
  ])('refuses %s', async (_case, connecting, message) => {
    await expect(connecting()).rejects.toThrow(message);
  });
});
