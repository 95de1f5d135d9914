// The versions of Gmsh and CalculiX, read once when the definitions load, for the code versions
// of the assets whose results they compute: upgrading a solver makes its results stale
// (docs/architecture.md, "The CAE study"). Where the tools run decides where the versions come
// from: the installed programs, for the `cae` server the worker starts itself; the server's own
// announcement (its MCP handshake: `1.2.0 (gmsh 4.8.4, ccx 2.20)`), for one reached over HTTP
// with $STRATA_CAE_URL, whose programs may differ from this machine's. Locally, a program that is
// not installed reads as `absent`, so the definitions still load (to show status). A remote
// server that does not answer fails the load, saying so: without its versions, whether its
// results are current cannot be told.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EnvironmentError } from 'strata';
import {
  installedProgramVersions,
  programVersionsOf,
  type CaeProgramVersions,
} from '../tools/cae/versions.js';
import { toolServerVariables } from '../tool-servers.js';

/** How long a remote server may take to answer the handshake, ms. */
const HANDSHAKE_TIMEOUT_MS = 15_000;

/** The tools' versions, as `gmsh --version` and `ccx -v` print them ('absent': not installed). */
export type ToolVersions = CaeProgramVersions;

/**
 * The versions of the programs the study's `cae` server runs, as `env` configures the server:
 * the remote server's announcement with $STRATA_CAE_URL (its bearer token from
 * $STRATA_CAE_TOKEN), else the installed programs'.
 */
export async function studyToolVersions(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ToolVersions> {
  const variables = toolServerVariables('cae');
  const url = env[variables.url];
  if (url === undefined || url.trim() === '') return installedProgramVersions();
  return remoteToolVersions(url.trim(), env[variables.token]);
}

/** The program versions a `cae` server at `url` announces. */
export async function remoteToolVersions(
  url: string,
  token: string | undefined,
): Promise<ToolVersions> {
  const variables = toolServerVariables('cae');
  const fail = (why: string, cause?: unknown): never => {
    throw new EnvironmentError(
      `the cae tool server at ${url} (${variables.url}) ${why}; its Gmsh and CalculiX versions ` +
        `are part of the code versions of plate/cad_revision, plate/mesh and plate/fea_run`,
      {
        cause,
        hint: `start it (assets/tools/cae-server.ts --http), check ${variables.token}, or unset ${variables.url} to run the tools here`,
      },
    );
  };
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch (error) {
    return fail('is not a URL', error);
  }
  const headers: Record<string, string> =
    token === undefined || token === '' ? {} : { Authorization: `Bearer ${token}` };
  const client = new Client({ name: 'strata-plate-study', version: '1' });
  let announced: { name: string; version: string } | undefined;
  try {
    await client.connect(
      new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } }),
      {
        timeout: HANDSHAKE_TIMEOUT_MS,
      },
    );
    announced = client.getServerVersion();
  } catch (error) {
    return fail(`did not answer (${(error as Error).message})`, error);
  } finally {
    await client.close().catch(() => undefined);
  }
  const versions = announced === undefined ? undefined : programVersionsOf(announced.version);
  if (announced?.name !== 'cae' || versions === undefined) {
    return fail(
      `announced itself as ${announced === undefined ? 'nothing' : `${announced.name} ${announced.version}`}, not as a cae server with its program versions`,
    );
  }
  return versions;
}
