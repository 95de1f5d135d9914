// The example study's tool servers (cad, mesher, solver: assets/tools/), chosen by configuration,
// without a code change. By default each is a child process of the worker speaking MCP over stdio
// and declared to use the worker's artifact store. With STRATA_<NAME>_URL set (STRATA_CAD_URL,
// STRATA_MESHER_URL, STRATA_SOLVER_URL, e.g. http://fea-host:8931/mcp), that server is reached
// over Streamable HTTP instead: one started with `--http` (docs/architecture.md, "Tool servers"),
// sending the bearer token of STRATA_<NAME>_TOKEN when that variable is set. The CAE study
// (assets/bracket/) uses the `cae` server (Gmsh + CalculiX) the same way (STRATA_CAE_URL,
// STRATA_CAE_TOKEN), with its scratch directory given explicitly (caeToolServer).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mcpHttpServer, mcpStdioServer, type ToolServerDefinition } from 'strata';

/** The example's tool servers, by the name assets call them with. */
export const EXAMPLE_TOOL_SERVERS = ['cad', 'mesher', 'solver'] as const;

/** The name of one of the example's tool servers. */
export type ExampleToolServer = (typeof EXAMPLE_TOOL_SERVERS)[number];

/** The variables configuring tool server `name`: its URL, and its bearer token's variable. */
export function toolServerVariables(name: ExampleToolServer | 'cae'): {
  url: string;
  token: string;
} {
  const prefix = `STRATA_${name.toUpperCase()}`;
  return { url: `${prefix}_URL`, token: `${prefix}_TOKEN` };
}

/** Tool server `name` as `env` configures it: over HTTP when its URL is set, else over stdio. */
export function exampleToolServer(
  name: ExampleToolServer | 'cae',
  env: Readonly<Record<string, string | undefined>> = process.env,
  serverEnv: Readonly<Record<string, string>> = {},
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
    ...(Object.keys(serverEnv).length === 0 ? {} : { env: { ...serverEnv } }),
  });
}

/** The variable naming the CAE server's scratch directory (CAD revisions, meshes, ccx runs). */
export const CAE_WORK_ENV = 'STRATA_CAE_WORK';

/**
 * Where the CAE server keeps its scratch directories: $STRATA_CAE_WORK, else `cae-work` in the
 * state directory ($STRATA_HOME, else `<cwd>/.strata`). A stdio server does not inherit STRATA_*
 * variables (they may be credentials), so the worker passes the directory on explicitly: every
 * worker of a project, and a restarted one, finds the ccx runs it reattaches to in one place.
 */
export function caeWorkDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): string {
  const given = env[CAE_WORK_ENV];
  if (given !== undefined && given.trim() !== '') return path.resolve(cwd, given);
  const home = env.STRATA_HOME;
  const state =
    home !== undefined && home.trim() !== '' ? path.resolve(cwd, home) : path.join(cwd, '.strata');
  return path.join(state, 'cae-work');
}

/**
 * The CAE tool server (assets/tools/cae-server.ts: Gmsh and CalculiX) as `env` configures it:
 * over HTTP with STRATA_CAE_URL (that server's own $STRATA_CAE_WORK then applies), else a stdio
 * child of the worker told its scratch directory (caeWorkDir).
 */
export function caeToolServer(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ToolServerDefinition {
  return exampleToolServer('cae', env, { [CAE_WORK_ENV]: caeWorkDir(env) });
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
