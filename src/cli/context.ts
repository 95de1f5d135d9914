// Builds the context a command runs in: output helpers, and lazily loaded definitions, graph
// and database (resolved from DATABASE_URL or the project's embedded server, migrated on
// open; open-database.ts), with everything closed after the command.
import path from 'node:path';
import type { Definitions } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { DatabaseHandle } from '../store/index.js';
import type { CommandContext, Flags } from './command.js';
import type { CliIo } from './io.js';
import { openDatabase, openRunningDatabase } from './open-database.js';
import { colorsFor } from './render/colors.js';

/** Options every command accepts. */
export interface GlobalOptions {
  readonly json: boolean;
  readonly verbose: boolean;
  /** --definitions as given (resolved against io.cwd when loading). */
  readonly definitions: string | undefined;
}

/** A context and how to release what it opened. */
export interface ContextHandle {
  readonly context: CommandContext;
  /** Runs exit hooks and closes the database (idempotent). */
  close(): Promise<void>;
}

/** The state directory of the embedded server: $STRATA_HOME, else `<cwd>/.strata`. */
export function stateDirOf(io: CliIo): string {
  const home = io.env.STRATA_HOME;
  return home !== undefined && home !== ''
    ? path.resolve(io.cwd, home)
    : path.join(io.cwd, '.strata');
}

/** Creates the context of one command invocation. */
export function createContext(
  io: CliIo,
  args: readonly string[],
  flags: Flags,
  globals: GlobalOptions,
): ContextHandle {
  const stateDir = stateDirOf(io);
  const exitHooks: (() => Promise<void> | void)[] = [];
  let definitions: Promise<Definitions> | undefined;
  let graph: Promise<AssetGraph> | undefined;
  let database: Promise<DatabaseHandle> | undefined;
  /** The database opened ahead of use (prefetchDatabase), or undefined if none was running. */
  let early: Promise<DatabaseHandle | undefined> | undefined;

  const loadDefinitions = (): Promise<Definitions> => {
    // The store and graph modules, and strata's public face the definitions import as 'strata',
    // are imported before the definitions: once tsx's loader is registered every later import
    // goes through its hooks, which doubles their load time.
    definitions ??= Promise.all([
      import('./load-definitions.js'),
      import('../store/index.js'),
      import('../graph/index.js'),
      import('../index.js'),
    ]).then(([loader]) => loader.loadDefinitions(io, globals.definitions));
    return definitions;
  };
  const loadGraph = (): Promise<AssetGraph> => {
    graph ??= loadDefinitions().then(async (loaded) => {
      const { buildAssetGraph } = await import('../graph/index.js');
      return buildAssetGraph(loaded);
    });
    return graph;
  };
  const tryLoadGraph = async (): Promise<AssetGraph | undefined> => {
    const { locateDefinitions } = await import('./load-definitions.js');
    const located = locateDefinitions(io, globals.definitions);
    return located.path === undefined && !located.explicit ? undefined : loadGraph();
  };

  const context: CommandContext = {
    io,
    args,
    flags,
    json: globals.json,
    verbose: globals.verbose,
    colors: colorsFor(io.stdout, io.env),
    stateDir,
    now: () => io.now?.() ?? new Date(),
    print: (...lines) => {
      for (const line of lines) io.stdout.write(`${line}\n`);
    },
    printJson: (value) => {
      io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    note: (line) => {
      io.stderr.write(`${line}\n`);
    },
    loadDefinitions,
    loadGraph,
    tryLoadGraph,
    definitionsPath: async () => {
      const { locateDefinitions } = await import('./load-definitions.js');
      return locateDefinitions(io, globals.definitions).path;
    },
    database: () => {
      database ??= (early ?? Promise.resolve(undefined)).then(
        (opened) => opened ?? openDatabase(io, stateDir),
      );
      return database;
    },
    prefetchDatabase: () => {
      if (database !== undefined || early !== undefined) return;
      early = openRunningDatabase(io, stateDir);
      early.catch(() => {}); // reported when the command asks for the database
    },
    onExit: (cleanup) => {
      exitHooks.push(cleanup);
    },
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        for (const hook of exitHooks.reverse()) await hook();
      } finally {
        const opened = await (database ?? early)?.catch(() => undefined);
        await opened?.close();
      }
    })();
    return closing;
  };
  return { context, close };
}
