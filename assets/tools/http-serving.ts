// Serving a tool server over Streamable HTTP (MCP's transport for a service on another host) at
// /mcp, stateless: a fresh MCP server per request, sharing the tools' state (answers, key locks,
// work in flight). It listens on 127.0.0.1 unless told otherwise. With a token, every request
// must carry `Authorization: Bearer <token>` (compared in constant time, never logged); without
// one (loopback only) a request must name a loopback Host, so a web page cannot reach the server
// through DNS rebinding. Prints `listening on http://HOST:PORT/mcp` once it accepts requests.
import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isLoopback, type HttpServing } from './kit-options.js';

/** The path of the MCP endpoint. */
export const MCP_PATH = '/mcp';

/** An HTTP server answering at /mcp with the MCP servers `newServer` makes; not yet listening. */
export function httpToolServer(
  newServer: () => McpServer,
  serving: HttpServing,
  name: string,
): Server {
  const authorized = serving.token === undefined ? undefined : bearerCheck(serving.token);
  return createServer((request, response) => {
    const refusal = refuse(request, authorized);
    if (refusal !== undefined) {
      const headers = refusal.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      response
        .writeHead(refusal.status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify({ error: refusal.error }));
      return;
    }
    answer(newServer(), request, response).catch((error: unknown) => {
      process.stderr.write(`${name}: request failed: ${(error as Error).message}\n`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
}

/** Starts `http` listening where `serving` says and prints `listening on URL`. */
export async function listen(http: Server, serving: HttpServing): Promise<void> {
  http.listen(serving.port, serving.host);
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const host = serving.host.includes(':') ? `[${serving.host}]` : serving.host;
  process.stdout.write(`listening on http://${host}:${port}${MCP_PATH}\n`);
}

/** Hands one request to a fresh MCP server over a stateless transport, closed with the response. */
async function answer(
  server: McpServer,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  response.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response);
}

/** Why `request` is refused (status and message), or undefined when it may be answered. */
function refuse(
  request: IncomingMessage,
  authorized: ((header: string | undefined) => boolean) | undefined,
): { status: number; error: string } | undefined {
  if (new URL(request.url ?? '/', 'http://x').pathname !== MCP_PATH)
    return { status: 404, error: `not found: the MCP endpoint is ${MCP_PATH}` };
  if (authorized !== undefined)
    return authorized(request.headers.authorization)
      ? undefined
      : { status: 401, error: 'unauthorized: send Authorization: Bearer <token>' };
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  return isLoopback(host)
    ? undefined
    : { status: 403, error: `forbidden: host ${JSON.stringify(host)} is not this machine` };
}

/** A constant-time check of an Authorization header against `Bearer <token>`. */
function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = digest(`Bearer ${token}`);
  return (header) => header !== undefined && timingSafeEqual(digest(header), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
