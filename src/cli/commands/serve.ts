// `strata serve [--port 4000] [--host 127.0.0.1]`: the lineage UI (dist/lineage, when built) and
// the HTTP API on this project's database. Runs launched from the API execute in this process's
// worker pool.
import { hasActiveApiTokens } from '../../access/index.js';
import type { ActedTick } from '../../automation/index.js';
import { ArgumentError } from '../argument-error.js';
import type { Command } from '../command.js';
import { EXECUTION_OPTIONS, executionSetup } from '../execution-setup.js';
import {
  NO_RELOAD_OPTION,
  reloadedFiles,
  reportReady,
  superviseIfReloading,
  untilStopped,
} from '../reload-supervisor.js';
import { describeTick } from '../render/tick-view.js';
import { PRUNE_OPTION, pruneRetentionMs, startScheduledPrune } from '../scheduled-prune.js';

/** The environment variable holding the bearer token. */
const TOKEN_ENV = 'STRATA_TOKEN';

/** `strata serve`. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the lineage browser and its HTTP API',
  usage: [
    'strata serve [--port N] [--host ADDRESS] [--read-only] [--no-ui] [--no-automation] [--concurrency N] [options]',
  ],
  details: [
    'Serves the lineage UI (built into dist/lineage by `npm run build`) and the JSON API under',
    '/api (OpenAPI document at /api/openapi.json) on 127.0.0.1. See docs/api.md.',
    `Binding any other address requires ${TOKEN_ENV} or named tokens (strata tokens create);`,
    `with either, every request must send Authorization: Bearer TOKEN, or carry the session`,
    `cookie a browser gets by opening http://HOST:PORT/?token=TOKEN once. Each named token's`,
    'role limits what it may do (viewer reads; operator also runs). Runs launched',
    'through the API execute in this process, as do those of the automation daemon it runs',
    'when any asset declares an automation policy (--no-automation: not).',
    'When the files of the definitions module change, a new server process with the new',
    'definitions takes over the port and the old one finishes its running steps (--no-reload:',
    'keep the definitions of the start). Ctrl-C or SIGTERM stop it (running steps finish first).',
    '--prune-events-older-than 30d deletes run events and automation ticks older than 30 days',
    'once an hour, as `strata events prune` does.',
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
    'no-automation': {
      type: 'boolean',
      description: 'do not run the automation daemon (see strata daemon)',
    },
    'no-ui': { type: 'boolean', description: 'serve the API only, not the lineage UI' },
    ...PRUNE_OPTION,
    ...NO_RELOAD_OPTION,
    ...EXECUTION_OPTIONS,
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    // The serving happens in a worker process that a new one replaces when the definitions
    // change (reload-supervisor.ts); this process only supervises.
    const supervised = await superviseIfReloading(context, 'serve');
    if (supervised !== undefined) return supervised;
    const { MCP_SERVER_VERSION, mcpHttpHandler } = await import('../../mcp/index.js');
    const { BUILT_UI_DIR, builtUiRoot, DEFAULT_HOST, DEFAULT_PORT, isLoopbackHost, startServer } =
      await import('../../server/index.js');
    const port = portOption(context.flags.string('port'), DEFAULT_PORT);
    const retentionMs = pruneRetentionMs(context);
    const host = context.flags.string('host') ?? DEFAULT_HOST;
    const token = context.io.env[TOKEN_ENV]?.trim() || undefined;
    // Named tokens (strata tokens create) require a token from every caller, on any address.
    const requireTokens = await hasActiveApiTokens((await context.database()).db);
    if (!isLoopbackHost(host) && token === undefined && !requireTokens) {
      throw new ArgumentError(
        `--host ${host} exposes the API beyond this machine: set ${TOKEN_ENV} or create named tokens to require a bearer token`,
        {
          hint: `export ${TOKEN_ENV}=$(openssl rand -hex 32), or strata tokens create NAME --role viewer, or keep the default --host ${DEFAULT_HOST}`,
        },
      );
    }
    const staticRoot = context.flags.boolean('no-ui') ? undefined : builtUiRoot();
    if (!context.flags.boolean('no-ui') && staticRoot === undefined) {
      context.note(
        `strata serve: the lineage UI is not built (no ${BUILT_UI_DIR}index.html); serving the API only. Build it with: npm run build`,
      );
    }
    const { engine, worker } = await executionSetup(context);
    const server = await startServer(engine, {
      host,
      port,
      ...(token === undefined ? {} : { token }),
      requireTokens,
      ...(staticRoot === undefined ? {} : { staticRoot }),
      ...(context.flags.boolean('no-automation')
        ? {}
        : {
            automation: {
              onTick: (tick: ActedTick) => context.note(`automation: ${describeTick(tick)}`),
            },
          }),
      launch: context.flags.boolean('read-only') ? false : worker,
      mcp: mcpHttpHandler(engine.graph, engine.database.db, MCP_SERVER_VERSION),
    });
    context.onExit(() => server.close());
    const resumed = await server.app.resumeBackfills();
    if (resumed.length > 0)
      context.note(
        `strata serve: driving backfill${resumed.length === 1 ? '' : 's'} ${resumed.join(', ')} (left running)`,
      );
    startScheduledPrune(context, engine.database.db, retentionMs, 'strata serve');
    // In token mode the URL to open carries the token once; the server swaps it for a session.
    const openUrl =
      token === undefined ? `${server.url}/` : `${server.url}/?token=${encodeURIComponent(token)}`;
    const ui = staticRoot !== undefined;
    const reloaded = reloadedFiles(context.io.env);
    if (reloaded.length > 0) {
      const line = { reloaded, assets: engine.graph.size, url: server.url };
      if (context.json) context.print(JSON.stringify(line));
      else
        context.print(
          `strata serve: definitions changed (${reloaded.join(', ')}): reloaded, ${engine.graph.size} assets`,
        );
    } else if (context.json) {
      // One line, so a script can read the first line of a process that keeps running.
      const ready = { url: server.url, openUrl, ui, host: server.host, port: server.port };
      context.print(JSON.stringify(ready));
    } else {
      const where = ui ? `UI at ${openUrl}` : `API at ${server.url}/api`;
      const auth =
        token !== undefined
          ? `; token required: Authorization: Bearer $${TOKEN_ENV}${ui ? ', or the session opening the URL starts' : ''}`
          : requireTokens
            ? `; token required: Authorization: Bearer <a named token>${ui ? `, or open ${server.url}/?token=<token>` : ''}`
            : '';
      context.print(
        `strata serve: ${where}  (${engine.graph.size} assets; OpenAPI at ${server.url}/api/openapi.json${auth}); Ctrl-C to stop`,
      );
    }
    reportReady();
    const signal = await untilStopped();
    if (signal !== 'reload') context.note(`${signal}: stopping (running steps finish first)...`);
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
