// MCP over Streamable HTTP (the `/mcp` route of `strata serve`): each request gets a planner
// server of its own, acting as the caller's token, in stateless mode with JSON answers, so no
// session lives in the server between requests and a token's revocation takes effect at once.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Kysely } from 'kysely';
import type { Principal } from '../access/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { plannerServer } from './planner-server.js';

/** Answers one MCP request of `principal`. */
export type McpHttpHandler = (
  request: Request,
  principal: Principal,
  origin: string,
) => Promise<Response>;

/** The handler of `/mcp` for the definitions of `graph`. */
export function mcpHttpHandler(
  graph: AssetGraph,
  db: Kysely<Database>,
  version: string,
): McpHttpHandler {
  return async (request, principal, origin) => {
    const server = plannerServer({
      graph,
      db,
      actor: { name: principal.name, role: principal.role, origin },
      version,
      reviewUrl: (id) => `${new URL(request.url).origin}/#/plans/${id}`,
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      await server.close();
    }
  };
}
