// Command-line parsing with node:util parseArgs: finds the subcommand among the global flags,
// then parses the command's own options, reporting unknown options with a suggestion.
import { parseArgs } from 'node:util';
import { didYouMean } from '../util/closest.js';
import { ArgumentError } from './argument-error.js';
import type { Command, Flags, OptionSpec } from './command.js';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', description: 'print JSON for scripts instead of human output' },
  verbose: { type: 'boolean', short: 'v', description: 'more detail; stack traces on errors' },
  definitions: {
    type: 'string',
    valueName: 'PATH',
    description: 'asset definitions module (default: $STRATA_DEFINITIONS, assets/index.ts|js)',
  },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

/** The subcommand's name and the arguments around it. */
export interface SplitArgv {
  /** The first positional argument, if any. */
  readonly command: string | undefined;
  /** argv without the command name. */
  readonly rest: readonly string[];
}

/** Finds the subcommand: the first argument that is neither an option nor an option's value. */
export function splitCommand(argv: readonly string[]): SplitArgv {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-') {
      return { command: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    }
    if (takesValue(arg)) i++;
  }
  return { command: undefined, rest: argv };
}

function takesValue(arg: string): boolean {
  if (arg.includes('=')) return false;
  const name = arg.startsWith('--')
    ? arg.slice(2)
    : Object.entries(GLOBAL_OPTIONS).find(([, spec]) => `-${spec.short}` === arg)?.[0];
  return name !== undefined && GLOBAL_OPTIONS[name]?.type === 'string';
}

/** The parsed options and positionals of one invocation. */
export interface ParsedArgv {
  readonly flags: Flags;
  readonly positionals: readonly string[];
}

/** Parses `args` against the global options and `command`'s; ArgumentError on any problem. */
export function parseCommandArgs(
  command: Command | undefined,
  args: readonly string[],
): ParsedArgv {
  const specs: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) };
  const where = command === undefined ? 'strata' : `strata ${command.name}`;
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    options: specs,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = specs[token.name];
    if (spec === undefined || (token.rawName.startsWith('--') && token.name.length === 1)) {
      const names = Object.keys(specs).map((name) => `--${name}`);
      const suggestion = didYouMean(`--${token.name}`, names);
      throw new ArgumentError(`unknown option ${token.rawName} for ${where}`, {
        hint: suggestion ?? `see \`${where} --help\``,
      });
    }
    if (spec.type === 'string' && token.value === undefined) {
      throw new ArgumentError(`option ${token.rawName} of ${where} needs a value`, {
        hint: `write ${token.rawName} ${spec.valueName ?? 'VALUE'}`,
      });
    }
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw new ArgumentError(`option ${token.rawName} of ${where} takes no value`, {
        hint: `write ${token.rawName} alone`,
      });
    }
  }
  return { flags: flagsOf(values), positionals };
}

type RawValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

function flagsOf(values: RawValues): Flags {
  const list = (name: string): string[] => {
    const value = values[name];
    const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return items.filter((item): item is string => typeof item === 'string');
  };
  return {
    boolean: (name) => {
      const value = values[name];
      return Array.isArray(value) ? value.length > 0 : value === true;
    },
    string: (name) => list(name).at(-1),
    strings: list,
  };
}

/** Checks the number of positional arguments of `command`. */
export function checkPositionals(command: Command, positionals: readonly string[]): void {
  const { min, max, names } = command.positionals;
  if (positionals.length < min) {
    throw new ArgumentError(`strata ${command.name} needs ${names}`, {
      hint: `usage: ${command.usage[0] ?? `strata ${command.name}`}`,
    });
  }
  if (positionals.length > max) {
    const extra = positionals.slice(max).map((p) => JSON.stringify(p));
    throw new ArgumentError(
      `unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(' ')} for strata ${command.name}`,
      {
        hint: `usage: ${command.usage[0] ?? `strata ${command.name}`}`,
      },
    );
  }
}
