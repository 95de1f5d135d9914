// `strata serve [--port 4000] [--host 127.0.0.1]`: the HTTP API (and later the lineage UI) on
// this project's database. Runs launched from the API execute in this process's worker pool.
import { ArgumentError } from '../argument-error.js';
import type { Command } from '../command.js';
import { EXECUTION_OPTIONS, executionSetup } from '../execution-setup.js';

/** The environment variable holding the bearer token. */
const TOKEN_ENV = 'STRATA_TOKEN';

/** `strata serve`. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the HTTP API of the lineage browser',
  usage: ['strata serve [--port N] [--host ADDRESS] [--read-only] [--concurrency N] [options]'],
  details: [
    'Serves the JSON API under /api (OpenAPI document at /api/openapi.json) on 127.0.0.1.',
    `Binding any other address requires ${TOKEN_ENV}; every request must then send`,
    `Authorization: Bearer $${TOKEN_ENV}. Runs launched through the API execute in this process.`,
    'Ctrl-C or SIGTERM stop it (running steps finish first).',
  ],
  options: {
    port: {
      type: 'string',
      short: 'p',
      valueName: 'N',
      description: 'port (default 4000; 0: any free port)',
    },
    host: {
      type: 'string',
      valueName: 'ADDRESS',
      description: 'address to bind (default 127.0.0.1)',
    },
    'read-only': { type: 'boolean', description: 'refuse to launch, cancel or resume runs' },
    ...EXECUTION_OPTIONS,
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const { DEFAULT_HOST, DEFAULT_PORT, isLoopbackHost, startServer } =
      await import('../../server/index.js');
    const port = portOption(context.flags.string('port'), DEFAULT_PORT);
    const host = context.flags.string('host') ?? DEFAULT_HOST;
    const token = context.io.env[TOKEN_ENV]?.trim() || undefined;
    if (!isLoopbackHost(host) && token === undefined) {
      throw new ArgumentError(
        `--host ${host} exposes the API beyond this machine: set ${TOKEN_ENV} to require a bearer token`,
        {
          hint: `export ${TOKEN_ENV}=$(openssl rand -hex 32), or keep the default --host ${DEFAULT_HOST}`,
        },
      );
    }
    const { graph, handle, artifacts, gitCommit, concurrency, leaseMs } =
      await executionSetup(context);
    const server = await startServer({
      db: handle.db,
      queuePool: handle.pool,
      graph,
      artifacts,
      host,
      port,
      ...(token === undefined ? {} : { token }),
      launch: context.flags.boolean('read-only')
        ? false
        : {
            concurrency,
            leaseMs,
            gitCommit,
            onQueueLog: (level, message) => context.note(`queue ${level}: ${message}`),
          },
    });
    context.onExit(() => server.close());
    if (context.json) context.printJson({ url: server.url, host: server.host, port: server.port });
    else
      context.print(
        `strata serve: ${server.url}  (${graph.size} assets; API under /api, OpenAPI at ${server.url}/api/openapi.json${token === undefined ? '' : '; bearer token required'}); Ctrl-C to stop`,
      );
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    context.note(`${signal}: stopping (running steps finish first)...`);
    await server.close();
  },
};

/** Parses --port: an integer from 0 to 65535. */
function portOption(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new ArgumentError(
      `--port must be an integer from 0 to 65535, got ${JSON.stringify(value)}`,
    );
  return port;
}
