// The interface every `strata` subcommand implements, and the context it runs in. Command
// modules are imported lazily (only the one invoked), so their heavy imports cost nothing for
// the others.
import type { Definitions } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { DatabaseHandle } from '../store/index.js';
import type { CliIo } from './io.js';
import type { Colors } from './render/colors.js';

/** One command-line option of a command (parsed with node:util parseArgs). */
export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  /** A one-letter alias (`-f`). */
  readonly short?: string;
  /** May be repeated; the values arrive as a list. */
  readonly multiple?: boolean;
  /** Placeholder of the value in help texts (string options), e.g. `N`. */
  readonly valueName?: string;
  /** One line for --help. */
  readonly description: string;
}

/** A `strata` subcommand. */
export interface Command {
  readonly name: string;
  /** One line for `strata --help`. */
  readonly summary: string;
  /** Synopsis lines for `strata <name> --help`, e.g. `strata plan [SELECTION] [options]`. */
  readonly usage: readonly string[];
  /** Lines printed under the synopsis by --help. */
  readonly details?: readonly string[];
  /** The command's own options (the global ones are added by main). */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** How many positional arguments it takes. */
  readonly positionals: { readonly min: number; readonly max: number; readonly names: string };
  /** Runs the command; returns the exit status (0 when omitted). */
  run(context: CommandContext): Promise<number | void>;
}

/** Parsed option values of one invocation. */
export interface Flags {
  /** A boolean option (false when absent). */
  boolean(name: string): boolean;
  /** A string option's last value, or undefined. */
  string(name: string): string | undefined;
  /** Every value of a repeatable string option. */
  strings(name: string): string[];
}

/** What a command receives: its arguments, the process surroundings, and lazy resources. */
export interface CommandContext {
  readonly io: CliIo;
  /** Positional arguments after the command name. */
  readonly args: readonly string[];
  /** The command's options and the global ones. */
  readonly flags: Flags;
  /** --json: print one JSON document on stdout instead of human output. */
  readonly json: boolean;
  /** --verbose: more detail, and stack traces on errors. */
  readonly verbose: boolean;
  /** Colors for stdout (off unless a TTY without NO_COLOR). */
  readonly colors: Colors;
  /** The embedded server's state directory ($STRATA_HOME or `<cwd>/.strata`). */
  readonly stateDir: string;
  /** The current time (injectable through io.now). */
  now(): Date;
  /** Writes one line (or several) to stdout. */
  print(...lines: string[]): void;
  /** Writes `value` as indented JSON to stdout. */
  printJson(value: unknown): void;
  /** Writes one line to stderr (notes and warnings). */
  note(line: string): void;
  /** Loads the user's definitions (--definitions, $STRATA_DEFINITIONS, assets/index.ts|js); cached. */
  loadDefinitions(): Promise<Definitions>;
  /** The asset graph of the definitions; cached. */
  loadGraph(): Promise<AssetGraph>;
  /** The file of the definitions module (given or found), undefined when there is none. */
  definitionsPath(): Promise<string | undefined>;
  /** The graph when definitions exist, undefined when none were given and none are found. */
  tryLoadGraph(): Promise<AssetGraph | undefined>;
  /** The database, opened and migrated on first use; closed by main after the command. */
  database(): Promise<DatabaseHandle>;
  /**
   * Starts opening the database now, while the command loads its definitions, when that cannot
   * start the embedded server (DATABASE_URL, or a server that is up); database() then returns
   * it, errors included. Otherwise nothing happens until database().
   */
  prefetchDatabase(): void;
  /** Registers cleanup to run after the command, before the database is closed. */
  onExit(cleanup: () => Promise<void> | void): void;
}
