// `strata lineage export --openlineage [--since DURATION|TIME] [--output FILE | --url URL]`:
// the OpenLineage events of every past run (or of the events written since), in order, as JSON
// lines on stdout, appended to a file, or POSTed to a receiver (the API key from
// $STRATA_OPENLINEAGE_API_KEY, never from the command line). Moves no delivery cursor.
import path from 'node:path';
import { parseDuration } from '../../definitions/index.js';
import {
  DEFAULT_NAMESPACE,
  exportHistory,
  graphSchemaFields,
  lineageSettingsOf,
  OPENLINEAGE_API_KEY_ENV,
  OPENLINEAGE_NAMESPACE_ENV,
  streamSink,
  type LineageSink,
} from '../../openlineage/index.js';
import { hostName } from '../../util/host-name.js';
import { ArgumentError } from '../argument-error.js';
import type { CommandContext } from '../command.js';

/** Runs the export; prints how many events went where (on stderr when they went to stdout). */
export async function runLineageExport(context: CommandContext): Promise<void> {
  if (!context.flags.boolean('openlineage')) {
    throw new ArgumentError('strata lineage export needs --openlineage (the only format)', {
      hint: 'strata lineage export --openlineage [--since 7d] [--output FILE | --url URL]',
    });
  }
  const since = sinceOf(context);
  const { sink, namespace } = exportTarget(context);
  const graph = await context.tryLoadGraph();
  const { db } = await context.database();
  const sent = await exportHistory(db, sink, {
    namespace,
    ...(graph === undefined ? {} : { schemaFieldsOf: graphSchemaFields(graph) }),
    ...(since === undefined ? {} : { since }),
  });
  const line = `exported ${sent} OpenLineage event(s) to ${sink.id}`;
  if (sink.id === 'stdout') context.note(line);
  else context.print(line);
}

function exportTarget(context: CommandContext): { sink: LineageSink; namespace: string } {
  const url = context.flags.string('url');
  const output = context.flags.string('output');
  if (url !== undefined && output !== undefined) {
    throw new ArgumentError('--url and --output exclude each other', {
      hint: 'export to one place at a time',
    });
  }
  const namespace =
    context.flags.string('namespace') ??
    context.io.env[OPENLINEAGE_NAMESPACE_ENV] ??
    DEFAULT_NAMESPACE;
  const settings = lineageSettingsOf(
    {
      url,
      apiKey: url === undefined ? undefined : context.io.env[OPENLINEAGE_API_KEY_ENV],
      file: output === undefined ? undefined : path.resolve(context.io.cwd, output),
      namespace,
      host: hostName(context.io.env),
    },
    { url: '--url', file: '--output', namespace: '--namespace' },
  );
  const sink = settings?.sinks[0] ?? streamSink((text) => context.io.stdout.write(text));
  return { sink, namespace: settings?.namespace ?? namespace };
}

/** --since: a duration back from now (7d) or a time (2026-01-31, 2026-01-31T12:00:00Z). */
function sinceOf(context: CommandContext): Date | undefined {
  const text = context.flags.string('since')?.trim();
  if (text === undefined) return undefined;
  if (/^\d+(\.\d+)?\s*[a-z]+$/i.test(text)) {
    try {
      return new Date(context.now().getTime() - parseDuration(text, '--since'));
    } catch (error) {
      throw new ArgumentError(error instanceof Error ? error.message : String(error), {
        hint: 'e.g. --since 7d or --since 2026-01-31',
      });
    }
  }
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) {
    throw new ArgumentError(`--since must be a duration or a time, got ${JSON.stringify(text)}`, {
      hint: 'e.g. --since 7d or --since 2026-01-31',
    });
  }
  return time;
}
