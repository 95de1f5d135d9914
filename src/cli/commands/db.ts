// `strata db start|stop|url|status|migrate`: the project's embedded PostgreSQL server and the
// schema of whichever database strata uses (DATABASE_URL or the embedded server).
import {
  createDatabase,
  DATABASE_URL_ENV,
  embeddedServerStatus,
  ensureEmbeddedServer,
  maskDatabaseUrl,
  migrate,
  migrateQueue,
  stopEmbeddedServer,
  validateDatabaseUrl,
} from '../../store/index.js';
import type { Command, CommandContext } from '../command.js';
import { runAction } from '../command-actions.js';

type Action = 'start' | 'stop' | 'url' | 'status' | 'migrate';

/** `strata db`. */
export const dbCommand: Command = {
  name: 'db',
  summary: 'Manage the database: start, stop, url, status, migrate',
  usage: ['strata db start|stop|url|status|migrate [options]'],
  details: [
    'start    start the embedded server of this project (in .strata/ or $STRATA_HOME)',
    'stop     stop the embedded server',
    'url      print the database URL strata uses ($DATABASE_URL, else the embedded server)',
    'status   whether the embedded server runs, and where',
    'migrate  bring the database schema up to date (every command also does this when needed)',
  ],
  options: {},
  positionals: { min: 1, max: 1, names: 'an action: start, stop, url, status or migrate' },
  run: (context) => runAction(context, 'db', ACTION_HANDLERS),
};

const ACTION_HANDLERS: Record<Action, (context: CommandContext) => Promise<void>> = {
  async start(context) {
    const { url } = await ensureEmbeddedServer(context.stateDir);
    if (externalUrl(context) !== undefined) {
      context.note(`note: ${DATABASE_URL_ENV} is set, so strata uses it rather than this server.`);
    }
    // Only `strata db url` prints the password (docs/cli.md): JSON output ends up in logs.
    if (context.json)
      context.printJson({ running: true, url: maskDatabaseUrl(url), stateDir: context.stateDir });
    else
      context.print(
        `The embedded server runs: ${maskDatabaseUrl(url)} (\`strata db url\` prints it with the password).`,
      );
  },
  async stop(context) {
    const { stopped } = await stopEmbeddedServer(context.stateDir);
    if (context.json) context.printJson({ stopped, stateDir: context.stateDir });
    else
      context.print(
        stopped
          ? 'Stopped the embedded PostgreSQL server.'
          : 'The embedded PostgreSQL server was not running.',
      );
  },
  async url(context) {
    const external = externalUrl(context);
    const url = external ?? (await ensureEmbeddedServer(context.stateDir)).url;
    if (context.json)
      context.printJson({ url, source: external === undefined ? 'embedded' : DATABASE_URL_ENV });
    else context.print(url);
  },
  async status(context) {
    const external = externalUrl(context);
    const embedded = await embeddedServerStatus(context.stateDir);
    if (context.json) {
      context.printJson({
        databaseUrl: external === undefined ? null : maskDatabaseUrl(external),
        embedded: {
          ...embedded,
          ...(embedded.url === undefined ? {} : { url: maskDatabaseUrl(embedded.url) }),
        },
      });
      return;
    }
    if (external !== undefined)
      context.print(`strata uses ${DATABASE_URL_ENV}: ${maskDatabaseUrl(external)}`);
    context.print(
      embedded.running
        ? `The embedded server runs (pid ${embedded.pid ?? '?'}, port ${embedded.port ?? '?'}) with data in ${embedded.dataDir}.`
        : `The embedded server is not running (data directory ${embedded.dataDir}).`,
    );
    if (embedded.running && embedded.url !== undefined)
      context.print(`URL: ${maskDatabaseUrl(embedded.url)}`);
  },
  async migrate(context) {
    const url = externalUrl(context) ?? (await ensureEmbeddedServer(context.stateDir)).url;
    const handle = await createDatabase(url);
    try {
      const { applied } = await migrate(handle.db);
      await migrateQueue(handle.pool);
      if (context.json) context.printJson({ applied, url: maskDatabaseUrl(url) });
      else if (applied.length === 0)
        context.print(`The schema of ${maskDatabaseUrl(url)} is up to date.`);
      else context.print(`Applied ${applied.join(', ')} to ${maskDatabaseUrl(url)}.`);
    } finally {
      await handle.close();
    }
  },
};

/** $DATABASE_URL (validated) from the command's environment, if set. */
function externalUrl(context: CommandContext): string | undefined {
  const value = context.io.env[DATABASE_URL_ENV]?.trim();
  return value === undefined || value === '' ? undefined : validateDatabaseUrl(value);
}
