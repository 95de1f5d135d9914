// Help texts: `strata --help` (the commands) and `strata <command> --help` (usage and options).
import type { Command, OptionSpec } from './command.js';
import { GLOBAL_OPTIONS } from './parse-argv.js';
import type { CommandEntry } from './registry.js';
import { renderTable } from './render/table.js';

/** The overview printed by `strata --help`. */
export function generalHelp(commands: readonly CommandEntry[]): string {
  return [
    'strata: asset-centric lineage orchestrator',
    '',
    'Usage: strata <command> [arguments] [options]',
    '',
    'Commands:',
    ...renderTable(
      commands.map((c) => [c.name, c.summary]),
      { indent: '  ' },
    ),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run `strata <command> --help` for the arguments and options of a command.',
    '',
  ].join('\n');
}

/** The help of one command. */
export function commandHelp(command: Command): string {
  const lines = [`strata ${command.name}: ${command.summary}`, '', 'Usage:'];
  lines.push(...command.usage.map((usage) => `  ${usage}`));
  if (command.details !== undefined) lines.push('', ...command.details);
  if (Object.keys(command.options).length > 0) {
    lines.push('', 'Options:', ...optionLines(command.options));
  }
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS), '');
  return lines.join('\n');
}

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  return renderTable(
    Object.entries(options).map(([name, spec]) => {
      const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
      const value = spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : '';
      const repeat = spec.multiple === true ? ' (repeatable)' : '';
      return [`${short}--${name}${value}`, `${spec.description}${repeat}`];
    }),
    { indent: '  ' },
  );
}
