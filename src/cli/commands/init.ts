// `strata init [DIR] [--force]`: scaffolds a project that materializes on the first try
// (scaffold-project.ts) and prints the commands to run next.
import path from 'node:path';
import type { Command } from '../command.js';
import { scaffoldProject, type ScaffoldResult } from '../scaffold-project.js';

/** `strata init`. */
export const initCommand: Command = {
  name: 'init',
  summary: 'Create a project: package.json, tsconfig.json, assets/index.ts, .gitignore',
  usage: ['strata init [DIR] [--force]'],
  details: [
    'Writes a project into DIR (default: the working directory, created if missing): a',
    'package.json depending on strata and zod, a tsconfig.json, assets/index.ts with two typed',
    'assets (summary depends on readings) and a .gitignore for .strata/ (the embedded database).',
    'An existing package.json gains only the dependencies and scripts it lacks, an existing',
    '.gitignore only the lines it lacks. Other existing files are refused unless --force.',
  ],
  options: {
    force: { type: 'boolean', short: 'f', description: 'overwrite tsconfig.json, assets/index.ts' },
  },
  positionals: { min: 0, max: 1, names: 'a DIR' },
  async run(context) {
    const directory = path.resolve(context.io.cwd, context.args[0] ?? '.');
    const result = await scaffoldProject(directory, context.flags.boolean('force'));
    const next = nextCommands(context.io.cwd, result);
    if (context.json) {
      context.printJson({ ...result, next });
      return;
    }
    context.print(
      `strata project in ${directory}:`,
      ...result.files.map(
        (file) =>
          `  ${file.action.padEnd(11)} ${file.path}${file.added === undefined ? '' : ` (added ${file.added.join(', ')})`}`,
      ),
      '',
      'Next:',
      ...next.map((command) => `  ${command}`),
    );
  },
};

/** What to run next, from the working directory. */
function nextCommands(cwd: string, result: ScaffoldResult): string[] {
  const relative = path.relative(cwd, result.directory);
  return [
    ...(relative === ''
      ? []
      : [`cd ${relative.includes(' ') ? JSON.stringify(relative) : relative}`]),
    ...(result.notInstalled.length === 0 ? [] : ['npm install']),
    'npx strata materialize   # builds readings, then summary (embedded PostgreSQL in .strata/)',
    'npx strata status',
    'npx strata serve         # the lineage browser',
  ];
}
