// How a worker reaches a declared tool server: a child process over stdio (under the watchdog,
// with only the environment it declares), or a service over Streamable HTTP (its headers, and a
// bearer token read from the worker's environment at connect time: sent, never recorded).
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ToolServerDefinition } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import { toolServerEnv } from './tool-env.js';
import { watchedCommand } from './tool-watchdog.js';

/** A transport to a tool server, and how to name the server in an error. */
export interface ToolTransport {
  readonly transport: Transport;
  /** `node server.js`, or the URL: never a header or a token. */
  readonly described: string;
  /** Whether a failed request means the connection should be made again (HTTP). */
  readonly reconnects: boolean;
}

/** The transport to tool server `name` as declared by `server`. */
export function toolTransport(
  name: string,
  server: ToolServerDefinition,
  storeLocation: string,
  env: NodeJS.ProcessEnv = process.env,
): ToolTransport {
  if (server.kind === 'mcp-stdio') {
    const watched = watchedCommand(server);
    return {
      transport: new StdioClientTransport({
        command: watched.command,
        args: [...watched.args],
        env: toolServerEnv(server, storeLocation, env),
        ...(server.cwd ? { cwd: server.cwd } : {}),
        stderr: 'inherit',
      }),
      described: `${server.command} ${server.args.join(' ')}`,
      reconnects: false,
    };
  }
  const headers: Record<string, string> = { ...server.headers };
  if (server.bearerTokenEnv !== undefined) {
    const token = env[server.bearerTokenEnv];
    if (token === undefined || token === '')
      throw new EnvironmentError(
        `tool server ${name} (${server.url}) needs a token in $${server.bearerTokenEnv}, which is not set in this worker's environment`,
        { hint: `set ${server.bearerTokenEnv} for every worker that may call ${name}` },
      );
    headers.Authorization = `Bearer ${token}`;
  }
  return {
    transport: new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } }),
    described: server.url,
    reconnects: true,
  };
}
