// The MCP clients of one worker process: each declared tool server is connected on first use and
// kept for the worker's lifetime (not one process or session per call). A stdio server is a child
// process under a watchdog that ends it when the worker is gone (./tool-watchdog.ts), restarted if
// it exits, with only the environment it declares (./tool-env.ts); an HTTP server is connected
// again after a request to it failed (./tool-transports.ts).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ToolServerDefinition } from '../definitions/index.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import { toolTransport } from './tool-transports.js';

/** A connected tool server. */
export interface ConnectedTool {
  readonly client: Client;
  /** serverInfo.version from the MCP handshake. */
  readonly version: string | undefined;
  /** Whether a failed request forgets the connection (HTTP servers). */
  readonly reconnects: boolean;
}

/** The tool servers of a worker, connected lazily. */
export class ToolClients {
  readonly #servers: ReadonlyMap<string, ToolServerDefinition>;
  readonly #storeLocation: string;
  readonly #connections = new Map<string, Promise<ConnectedTool>>();

  constructor(servers: ReadonlyMap<string, ToolServerDefinition>, storeLocation: string) {
    this.#servers = servers;
    this.#storeLocation = storeLocation;
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
    const { transport, described, reconnects } = toolTransport(name, server, this.#storeLocation);
    const client = new Client({ name: 'strata', version: '0.1.0' });
    transport.onclose = () => this.#connections.delete(name);
    try {
      await client.connect(transport);
    } catch (cause) {
      throw new EnvironmentError(
        `tool server ${name} (${described}) ${reconnects ? 'is not reachable' : 'did not start'}: ${(cause as Error).message}`,
        {
          cause,
          hint: reconnects
            ? 'Check the URL, the service and the token; the next call connects again.'
            : 'Its own error output, if any, is above.',
        },
      );
    }
    return { client, version: client.getServerVersion()?.version, reconnects };
  }

  /**
   * Forgets the connection of `name` after a request to it failed in transport (an HTTP server
   * restarted, a network cut): the next call connects again. A stdio server is left alone (it is
   * restarted when its process exits).
   */
  async forgetAfterFailure(name: string, connected: ConnectedTool): Promise<void> {
    if (!connected.reconnects || (await this.#connections.get(name)) !== connected) return;
    this.#connections.delete(name);
    await connected.client.close().catch(() => undefined);
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
