// The example study's tool servers (cad, mesher, solver: assets/tools/), chosen by configuration,
// without a code change. By default each is a child process of the worker speaking MCP over stdio
// and declared to use the worker's artifact store. With STRATA_<NAME>_URL set (STRATA_CAD_URL,
// STRATA_MESHER_URL, STRATA_SOLVER_URL, e.g. http://fea-host:8931/mcp), that server is reached
// over Streamable HTTP instead: one started with `--http` (docs/architecture.md, "Tool servers"),
// sending the bearer token of STRATA_<NAME>_TOKEN when that variable is set.
import { fileURLToPath } from 'node:url';
import { mcpHttpServer, mcpStdioServer, type ToolServerDefinition } from 'strata';

/** The example's tool servers, by the name assets call them with. */
export const EXAMPLE_TOOL_SERVERS = ['cad', 'mesher', 'solver'] as const;

/** The name of one of the example's tool servers. */
export type ExampleToolServer = (typeof EXAMPLE_TOOL_SERVERS)[number];

/** The variables configuring tool server `name`: its URL, and its bearer token's variable. */
export function toolServerVariables(name: ExampleToolServer): { url: string; token: string } {
  const prefix = `STRATA_${name.toUpperCase()}`;
  return { url: `${prefix}_URL`, token: `${prefix}_TOKEN` };
}

/** Tool server `name` as `env` configures it: over HTTP when its URL is set, else over stdio. */
export function exampleToolServer(
  name: ExampleToolServer,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ToolServerDefinition {
  const variables = toolServerVariables(name);
  const url = env[variables.url];
  if (url !== undefined && url.trim() !== '') {
    const token = env[variables.token];
    return mcpHttpServer({
      url,
      ...(token === undefined || token === '' ? {} : { bearerTokenEnv: variables.token }),
    });
  }
  return mcpStdioServer({
    command: process.execPath,
    // tsx resolved here, not from the worker's working directory, which may be any directory.
    args: [
      '--import',
      import.meta.resolve('tsx'),
      fileURLToPath(new URL(`./tools/${name}-server.ts`, import.meta.url)),
    ],
    artifactStore: true,
  });
}

/** Every tool server of the example as `env` configures it. */
export function exampleToolServers(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<ExampleToolServer, ToolServerDefinition> {
  return {
    cad: exampleToolServer('cad', env),
    mesher: exampleToolServer('mesher', env),
    solver: exampleToolServer('solver', env),
  };
}
