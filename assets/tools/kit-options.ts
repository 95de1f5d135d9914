// How a tool server of the example is run, from its command line and environment (validated with
// zod): over stdio (the default: a worker starts it) or over Streamable HTTP (`--http`: an
// operator starts it as a service), the artifact store (`--artifact-store`, else
// $STRATA_ARTIFACT_STORE, as workers configure theirs) and where its idempotency answers are kept
// (`--state-dir`, else $STRATA_TOOL_STATE; ./tool-state.ts says what is used otherwise).
import { parseArgs } from 'node:util';
import { ARTIFACT_STORE_ENV, UsageError } from 'strata';
import { z } from 'zod';

/** The variable naming a tool server's state directory (answers and key locks). */
export const TOOL_STATE_ENV = 'STRATA_TOOL_STATE';

/** The variable holding the bearer token of an HTTP tool server, unless --token-env names another. */
export const DEFAULT_TOKEN_ENV = 'STRATA_TOOL_TOKEN';

/** Serving over HTTP: where, and the token callers must present (undefined: none asked). */
export interface HttpServing {
  readonly host: string;
  readonly port: number;
  /** The name of the variable the token came from, for messages (never the token). */
  readonly tokenEnv: string;
  readonly token: string | undefined;
}

/** How this tool server runs. */
export interface KitOptions {
  /** Undefined: over stdio. */
  readonly http: HttpServing | undefined;
  /** A directory or s3://BUCKET/PREFIX, as STRATA_ARTIFACT_STORE takes it. */
  readonly store: string;
  /** Where answers and key locks are kept, if configured. */
  readonly stateDir: string | undefined;
}

const argsSchema = z
  .object({
    http: z.boolean().default(false),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65_535).default(0),
    'token-env': z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    'artifact-store': z.string().min(1).optional(),
    'state-dir': z.string().min(1).optional(),
  })
  .strict();

/** Hosts reachable only from this machine, where the kit serves without a token. */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether `host` is reachable only from this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.replace(/^\[|\]$/g, '').toLowerCase());
}

/** The options of a tool server started with `argv` in `env`. */
export function kitOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): KitOptions {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        http: { type: 'boolean' },
        host: { type: 'string' },
        port: { type: 'string' },
        'token-env': { type: 'string' },
        'artifact-store': { type: 'string' },
        'state-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(`tool server options: ${(error as Error).message}`);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`tool server option --${issue.path.join('.')}: ${issue.message}`);
  }
  const args = parsed.data;
  const store = args['artifact-store'] ?? nonEmpty(env[ARTIFACT_STORE_ENV]);
  if (store === undefined)
    throw new UsageError(
      `tool server: no artifact store: set ${ARTIFACT_STORE_ENV} (a directory or s3://BUCKET/PREFIX, as for the workers) or pass --artifact-store (a worker sets it for the servers it starts)`,
    );
  const stateDir = args['state-dir'] ?? nonEmpty(env[TOOL_STATE_ENV]);
  if (!args.http) {
    for (const name of ['host', 'port', 'token-env'] as const)
      if (values[name] !== undefined)
        throw new UsageError(`tool server option --${name} needs --http`);
    return { http: undefined, store, stateDir };
  }
  return { http: httpServing(args.host, args.port, args['token-env'], env), store, stateDir };
}

/** Where and how to serve over HTTP; a host other than loopback needs a token. */
function httpServing(
  host: string,
  port: number,
  namedTokenEnv: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): HttpServing {
  const tokenEnv = namedTokenEnv ?? DEFAULT_TOKEN_ENV;
  const token = nonEmpty(env[tokenEnv]);
  if (namedTokenEnv !== undefined && token === undefined)
    throw new UsageError(`tool server option --token-env ${tokenEnv}: $${tokenEnv} is not set`);
  if (token === undefined && !isLoopback(host))
    throw new UsageError(
      `tool server option --host ${host}: serving beyond this machine needs a bearer token: set $${DEFAULT_TOKEN_ENV} (or the variable --token-env names)`,
    );
  return { host, port, tokenEnv, token };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
