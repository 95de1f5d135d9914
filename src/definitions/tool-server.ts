// Tool servers: MCP servers (CAD, mesher, solver, ...) that compute functions call through
// `ctx.tools`. The engine starts each one once per worker process, keeps it alive, and records
// every call in provenance.
import { DefinitionError } from '../errors.js';

/** An MCP server started as a child process speaking stdio. */
export interface McpStdioServer {
  readonly kind: 'mcp-stdio';
  readonly command: string;
  readonly args: readonly string[];
  /** Environment variables passed as given (a secret the server needs is declared here). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Names of the worker's variables the server needs (`LM_LICENSE_FILE`), or prefixes ending in
   * `*` (`OMP_*`). Beside them a server gets only the system's basics (PATH, HOME, USER, LANG,
   * LC_*, TZ, TMPDIR, ...) and the artifact store's location: never the worker's credentials or
   * anything else it does not declare. A prefix never passes a credential; an exact name does.
   */
  readonly inherit: readonly string[];
  /**
   * Whether the server reads or writes the worker's artifact store. Every server is told where
   * the store is ($STRATA_ARTIFACT_STORE); only a server that declares this also gets what
   * opening it takes: for an `s3://` store, every `AWS_*` variable of the worker (endpoint,
   * region, profile and credentials). A local directory needs nothing more.
   */
  readonly artifactStore: boolean;
  readonly cwd: string | undefined;
}

/**
 * Declares an MCP tool server started with `command args...`. Its environment is what it
 * declares: `env` (values), `inherit` (names or `PREFIX_*` taken from the worker) and, with
 * `artifactStore: true`, access to the worker's artifact store, beside the system's basics and
 * the store's location; nothing else of the worker's reaches it.
 */
export function mcpStdioServer(spec: {
  command: string;
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  inherit?: readonly string[];
  artifactStore?: boolean;
  cwd?: string;
}): McpStdioServer {
  if (typeof spec.command !== 'string' || spec.command.length === 0) {
    throw new DefinitionError('mcpStdioServer: command must be a non-empty string');
  }
  for (const name of spec.inherit ?? [])
    if (!/^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(name))
      throw new DefinitionError(
        `mcpStdioServer: inherit ${JSON.stringify(name)} is not a variable name or a prefix ending in *`,
      );
  if (spec.artifactStore !== undefined && typeof spec.artifactStore !== 'boolean')
    throw new DefinitionError(
      `mcpStdioServer: artifactStore must be true or false, not ${JSON.stringify(spec.artifactStore)}`,
    );
  return {
    kind: 'mcp-stdio',
    command: spec.command,
    args: [...(spec.args ?? [])],
    env: { ...(spec.env ?? {}) },
    inherit: [...(spec.inherit ?? [])],
    artifactStore: spec.artifactStore === true,
    cwd: spec.cwd,
  };
}

/**
 * An MCP server reached over Streamable HTTP: a licensed CAD or solver service on another host.
 * Calls carry the same idempotency keys and are recorded the same way as a stdio server's.
 */
export interface McpHttpServer {
  readonly kind: 'mcp-http';
  /** The server's MCP endpoint, e.g. https://cad.example.com/mcp. */
  readonly url: string;
  /** Headers sent with every request (not secrets: those come from `bearerTokenEnv`). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The name of the worker's environment variable holding a bearer token, read when the worker
   * connects; the token is sent as `Authorization: Bearer …` and never recorded or logged.
   */
  readonly bearerTokenEnv: string | undefined;
}

/** A tool server: a child process over stdio, or a service over HTTP. */
export type ToolServerDefinition = McpStdioServer | McpHttpServer;

/**
 * Declares an MCP tool server reached over Streamable HTTP.
 *
 * @example
 * mcpHttpServer({ url: 'https://cad.example.com/mcp', bearerTokenEnv: 'CAD_SERVICE_TOKEN' })
 */
export function mcpHttpServer(spec: {
  url: string;
  headers?: Readonly<Record<string, string>>;
  bearerTokenEnv?: string;
}): McpHttpServer {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw new DefinitionError(`mcpHttpServer: url ${JSON.stringify(spec.url)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DefinitionError(`mcpHttpServer: url ${spec.url} must be http: or https:`);
  if (url.username !== '' || url.password !== '')
    throw new DefinitionError(
      'mcpHttpServer: the url carries credentials; pass a token with bearerTokenEnv instead',
    );
  for (const name of Object.keys(spec.headers ?? {}))
    if (/^(authorization|cookie|proxy-authorization)$/i.test(name))
      throw new DefinitionError(
        `mcpHttpServer: header ${name} would be written into the definitions; use bearerTokenEnv`,
      );
  if (spec.bearerTokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(spec.bearerTokenEnv))
    throw new DefinitionError(
      `mcpHttpServer: bearerTokenEnv ${JSON.stringify(spec.bearerTokenEnv)} is not a variable name`,
    );
  return {
    kind: 'mcp-http',
    url: url.href,
    headers: { ...(spec.headers ?? {}) },
    bearerTokenEnv: spec.bearerTokenEnv,
  };
}

/** What a tool call returned: the structured result, its text, and its result id if any. */
export interface ToolCallResult<T = Record<string, unknown>> {
  /** The tool's structured content (its `outputSchema` shape). */
  readonly structured: T;
  /** The text content, joined. */
  readonly text: string;
  /** `structured.id` when the tool returns an immutable result id (a CAD revision, a run id). */
  readonly resultId: string | undefined;
}

/** How compute functions call tools; every call is recorded with the materialization. */
export interface ToolAccess {
  /**
   * Calls `tool` of tool server `server` with `args`. The call carries an idempotency key
   * derived from the step's input hash, the tool and its arguments, so a retried step's call
   * returns the same result without doing the work twice. A tool error fails the step with the
   * tool's message.
   */
  call<T = Record<string, unknown>>(
    server: string,
    tool: string,
    args: Readonly<Record<string, unknown>>,
  ): Promise<ToolCallResult<T>>;
}

/** The _meta key under which a tool call carries its idempotency key. */
export const IDEMPOTENCY_META_KEY = 'strata/idempotencyKey';
