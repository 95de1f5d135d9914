// `strata lineage KEY[PART]|ID [--upstream|--downstream] [--depth N]`: the materializations
// that fed one (or that consumed it), as a tree.
import { loadLineage, resolveMaterialization } from '../../provenance/index.js';
import { ArgumentError } from '../argument-error.js';
import type { Command, CommandContext } from '../command.js';
import { renderLineage } from '../render/lineage-tree.js';

/** `strata lineage`. */
export const lineageCommand: Command = {
  name: 'lineage',
  summary: 'Show the materializations upstream or downstream of one',
  usage: ['strata lineage KEY[PART]|MATERIALIZATION_ID [--upstream|--downstream] [--depth N]'],
  details: [
    'KEY[PART] means the latest materialization of that asset partition. The tree lists the exact',
    'materializations consumed (upstream, the default) or that consumed it (downstream);',
    'a materialization reached twice is printed once and then referenced.',
  ],
  options: {
    upstream: { type: 'boolean', short: 'u', description: 'walk towards the inputs (default)' },
    downstream: { type: 'boolean', short: 'd', description: 'walk towards the consumers' },
    depth: { type: 'string', valueName: 'N', description: 'at most N levels (default: all)' },
  },
  positionals: { min: 1, max: 1, names: 'a materialization: KEY, KEY[PART] or an id' },
  async run(context) {
    const direction = directionOf(context);
    const depth = depthOf(context);
    const ref = context.args[0]!;
    const graph = /^#?\d+$/.test(ref) ? undefined : await context.tryLoadGraph();
    const { db } = await context.database();
    const target = await resolveMaterialization(db, graph, ref);
    const lineage = await loadLineage(db, {
      materializationId: target.materializationId,
      direction,
      ...(depth === undefined ? {} : { depth }),
    });
    if (context.json) context.printJson(lineage);
    else context.print(...renderLineage(lineage, context.colors, context.now()));
  },
};

function directionOf(context: CommandContext): 'upstream' | 'downstream' {
  const up = context.flags.boolean('upstream');
  const down = context.flags.boolean('downstream');
  if (up && down) {
    throw new ArgumentError('--upstream and --downstream exclude each other', {
      hint: 'give one of them (upstream is the default)',
    });
  }
  return down ? 'downstream' : 'upstream';
}

/** Parses --depth N (a non-negative integer). */
export function depthOf(context: CommandContext): number | undefined {
  const text = context.flags.string('depth');
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) {
    throw new ArgumentError(`--depth must be a non-negative integer, got ${JSON.stringify(text)}`, {
      hint: 'e.g. --depth 2 for direct inputs and theirs',
    });
  }
  return Number(text);
}
