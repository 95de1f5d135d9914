// `strata lineage KEY[PART]|ID [--upstream|--downstream] [--depth N]`: the materializations
// that fed one (or that consumed it), as a tree. `strata lineage export --openlineage` and
// `strata lineage sinks` are OpenLineage's (./lineage-export.ts, ./lineage-sinks.ts).
import { loadLineage, resolveMaterialization } from '../../provenance/index.js';
import { ArgumentError } from '../argument-error.js';
import type { Command, CommandContext } from '../command.js';
import { renderLineage } from '../render/lineage-tree.js';

/** `strata lineage`. */
export const lineageCommand: Command = {
  name: 'lineage',
  summary: 'Show the materializations upstream or downstream of one',
  usage: [
    'strata lineage KEY[PART]|MATERIALIZATION_ID [--upstream|--downstream] [--depth N]',
    'strata lineage export --openlineage [--since DURATION|TIME] [--output FILE | --url URL]',
    'strata lineage sinks [--forget SINK]',
  ],
  details: [
    'KEY[PART] means the latest materialization of that asset partition. The tree lists the exact',
    'materializations consumed (upstream, the default) or that consumed it (downstream);',
    'a materialization reached twice is printed once and then referenced.',
    '',
    'export --openlineage writes the OpenLineage events of every past run (or of the events',
    'written since) as JSON lines to stdout, a file, or a receiver (docs/openlineage.md); the',
    'API key of --url comes from $STRATA_OPENLINEAGE_API_KEY. sinks lists the sinks this',
    'database delivers to and what is pending; --forget drops one no longer used.',
    'An asset named export or sinks is reached by its materialization id.',
  ],
  options: {
    upstream: { type: 'boolean', short: 'u', description: 'walk towards the inputs (default)' },
    downstream: { type: 'boolean', short: 'd', description: 'walk towards the consumers' },
    depth: { type: 'string', valueName: 'N', description: 'at most N levels (default: all)' },
    openlineage: { type: 'boolean', description: 'export: as OpenLineage RunEvents' },
    since: {
      type: 'string',
      valueName: 'DURATION|TIME',
      description: 'export: only events written since (7d, 2026-01-31)',
    },
    output: { type: 'string', valueName: 'FILE', description: 'export: append to FILE' },
    url: { type: 'string', valueName: 'URL', description: 'export: POST to URL (e.g. Marquez)' },
    namespace: {
      type: 'string',
      valueName: 'NAME',
      description: 'export: the job namespace (default $STRATA_OPENLINEAGE_NAMESPACE or strata)',
    },
    forget: { type: 'string', valueName: 'SINK', description: 'sinks: drop this sink' },
  },
  positionals: { min: 1, max: 1, names: 'a materialization: KEY, KEY[PART] or an id' },
  async run(context) {
    if (context.args[0] === 'export')
      return (await import('./lineage-export.js')).runLineageExport(context);
    if (context.args[0] === 'sinks')
      return (await import('./lineage-sinks.js')).runLineageSinks(context);
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
