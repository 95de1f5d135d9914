// The MCP clients of one worker process: each declared tool server is started on first use and
// kept alive for the worker's lifetime (not one process per call), restarted if it exits. Servers
// run under a watchdog that ends them when the worker is gone (./tool-watchdog.ts) and get only
// the environment they declare (./tool-env.ts).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { McpStdioServer } from '../definitions/index.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import { toolServerEnv } from './tool-env.js';
import { watchedCommand } from './tool-watchdog.js';

/** A connected tool server. */
export interface ConnectedTool {
  readonly client: Client;
  /** serverInfo.version from the MCP handshake. */
  readonly version: string | undefined;
}

/** The tool servers of a worker, connected lazily. */
export class ToolClients {
  readonly #servers: ReadonlyMap<string, McpStdioServer>;
  readonly #artifactsRoot: string;
  readonly #connections = new Map<string, Promise<ConnectedTool>>();

  constructor(servers: ReadonlyMap<string, McpStdioServer>, artifactsRoot: string) {
    this.#servers = servers;
    this.#artifactsRoot = artifactsRoot;
  }

  /** The connected client of `name`, starting its server on first use. */
  get(name: string): Promise<ConnectedTool> {
    let connection = this.#connections.get(name);
    if (!connection) {
      connection = this.#connect(name);
      this.#connections.set(name, connection);
      connection.catch(() => this.#connections.delete(name));
    }
    return connection;
  }

  async #connect(name: string): Promise<ConnectedTool> {
    const server = this.#servers.get(name);
    if (!server) {
      throw new UsageError(`unknown tool server ${name}`, {
        hint:
          didYouMean(name, this.#servers.keys()) ??
          `declare it: defineAssets([...], { tools: { ${name}: mcpStdioServer({ command, args }) } })`,
      });
    }
    const watched = watchedCommand(server);
    const transport = new StdioClientTransport({
      command: watched.command,
      args: [...watched.args],
      env: toolServerEnv(server, this.#artifactsRoot),
      ...(server.cwd ? { cwd: server.cwd } : {}),
      stderr: 'inherit',
    });
    const client = new Client({ name: 'strata', version: '0.1.0' });
    transport.onclose = () => this.#connections.delete(name);
    try {
      await client.connect(transport);
    } catch (cause) {
      throw new EnvironmentError(
        `tool server ${name} (${server.command} ${server.args.join(' ')}) did not start: ${(cause as Error).message}`,
        { cause, hint: 'Its own error output, if any, is above.' },
      );
    }
    return { client, version: client.getServerVersion()?.version };
  }

  /** Stops every started tool server. */
  async close(): Promise<void> {
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(
      connections.map(async (c) =>
        (await c.catch(() => undefined))?.client.close().catch(() => undefined),
      ),
    );
  }
}
