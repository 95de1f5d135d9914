// The MCP clients of one worker process: each declared tool server is started on first use and
// kept alive for the worker's lifetime (not one process per call), restarted if it exits.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { TOOL_ARTIFACTS_ENV, type McpStdioServer } from '../definitions/index.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { didYouMean } from '../util/closest.js';

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
    const transport = new StdioClientTransport({
      command: server.command,
      args: [...server.args],
      env: { ...inheritedEnv(), ...server.env, [TOOL_ARTIFACTS_ENV]: this.#artifactsRoot },
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
        { cause },
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

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return env;
}
