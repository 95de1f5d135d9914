// The entry point of the `strata` command line: parses the arguments, runs one subcommand in
// its context, reports errors and returns the exit status. Kept light: command modules and
// everything heavy (database, graph, planner) are imported only when a command needs them.
import { didYouMean } from '../util/closest.js';
import { ArgumentError, EXIT_USAGE } from './argument-error.js';
import { createContext } from './context.js';
import { commandHelp, generalHelp } from './help.js';
import { processIo, type CliIo } from './io.js';
import { checkPositionals, parseCommandArgs, splitCommand } from './parse-argv.js';
import { COMMANDS } from './registry.js';
import { reportError } from './report-error.js';

/** Runs `strata <argv>` and returns its exit status (0 success, 1 failure, 2 bad usage). */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  // Until the arguments parse, errors are reported as the raw flags suggest.
  let reporting = { json: argv.includes('--json'), verbose: argv.includes('--verbose') };
  try {
    const { command: name, rest } = splitCommand(argv);
    if (name === undefined || name === 'help') return topLevel(io, name, rest);
    const entry = COMMANDS.find((candidate) => candidate.name === name);
    if (entry === undefined) {
      throw new ArgumentError(`unknown command ${JSON.stringify(name)}`, {
        hint:
          didYouMean(
            name,
            COMMANDS.map((c) => c.name),
          ) ?? 'run `strata --help` to list the commands',
      });
    }
    const command = await entry.load();
    const { flags, positionals } = parseCommandArgs(command, rest);
    if (flags.boolean('help')) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    checkPositionals(command, positionals);
    const globals = {
      json: flags.boolean('json'),
      verbose: flags.boolean('verbose'),
      definitions: flags.string('definitions'),
    };
    reporting = globals;
    const { context, close } = createContext(io, positionals, flags, globals);
    try {
      return (await command.run(context)) ?? 0;
    } finally {
      await close();
    }
  } catch (error) {
    return reportError(io, error, reporting);
  }
}

/** `strata`, `strata --help`, `strata help [command]`. */
async function topLevel(
  io: CliIo,
  name: string | undefined,
  rest: readonly string[],
): Promise<number> {
  const { flags, positionals } = parseCommandArgs(undefined, rest);
  if (name === 'help' && positionals.length > 0) {
    const topic = positionals[0]!;
    const entry = COMMANDS.find((candidate) => candidate.name === topic);
    if (entry === undefined) {
      throw new ArgumentError(`unknown command ${JSON.stringify(topic)}`, {
        hint:
          didYouMean(
            topic,
            COMMANDS.map((c) => c.name),
          ) ?? 'run `strata --help` to list the commands',
      });
    }
    io.stdout.write(commandHelp(await entry.load()));
    return 0;
  }
  if (name === 'help' || flags.boolean('help')) {
    io.stdout.write(generalHelp(COMMANDS));
    return 0;
  }
  io.stderr.write(generalHelp(COMMANDS));
  return EXIT_USAGE;
}
