// `strata artifacts gc [--delete] [--min-age DURATION]`: garbage collection of the artifact
// store. A dry run by default (it tells what it would delete and how to delete it); --delete
// deletes, one artifact at a time with progress on stderr. Never deleted: an artifact the
// database references, one stored after the cutoff (--min-age ago, or the start of the oldest
// run or attempt in progress when that is earlier), or one stored while a tool call ran.
import type { GcTally } from '../../artifacts/index.js';
import { ARTIFACT_STORE_MODE_ENV } from '../../artifacts/artifact-store-env.js';
import { ARTIFACT_STORE_OPTION, commandArtifactStore } from '../artifact-store-option.js';
import type { Command, CommandContext } from '../command.js';
import { runAction } from '../command-actions.js';
import { durationOption } from '../execution-setup.js';
import { formatBytes } from '../render/byte-size.js';
import { gcReportJson, renderGcReport, runningLine, summaryLine } from '../render/gc-view.js';

/** The grace period unless --min-age says otherwise. */
const DEFAULT_MIN_AGE_MS = 60 * 60 * 1000;
/** The shortest --min-age: writes outside runs (observations) are protected by it alone. */
const MIN_MIN_AGE_MS = 60 * 1000;
/** Garbage artifacts shown as examples. */
const EXAMPLES = 5;
/** A progress line every so many deletions. */
const PROGRESS_EVERY = 1000;

type Action = 'gc';

/** `strata artifacts`. */
export const artifactsCommand: Command = {
  name: 'artifacts',
  summary: 'Garbage-collect the artifact store (dry run unless --delete)',
  usage: ['strata artifacts gc [--delete] [--min-age DURATION] [--artifact-store STORE]'],
  details: [
    'gc finds the artifacts no materialization, value, plan or partition payload references and',
    'prints what it would delete; --delete deletes them. It never deletes an artifact stored less',
    'than --min-age ago (default 1h), nor one stored since the oldest run or attempt in progress',
    'started (a running step may still write or record it), nor one stored while a tool call ran',
    '(its tool server may replay a reference to it).',
    `A local store's files are private to their owner; ${ARTIFACT_STORE_MODE_ENV}=group shares`,
    'it with the group of its directory (docs/artifacts.md).',
  ],
  options: {
    delete: { type: 'boolean', description: 'gc: delete the garbage (default: only show it)' },
    'min-age': {
      type: 'string',
      valueName: 'DURATION',
      description: 'gc: keep artifacts stored more recently than this (default 1h, at least 1m)',
    },
    'artifact-store': ARTIFACT_STORE_OPTION,
  },
  positionals: { min: 1, max: 1, names: 'an action: gc' },
  run: (context) => runAction<Action>(context, 'artifacts', { gc: collect }),
};

/** `strata artifacts gc`. */
async function collect(context: CommandContext): Promise<number> {
  const minAgeMs = durationOption(context, 'min-age', MIN_MIN_AGE_MS) ?? DEFAULT_MIN_AGE_MS;
  const dryRun = !context.flags.boolean('delete');
  const store = await commandArtifactStore(context);
  const { collectGarbage, emptyTally } = await import('../../artifacts/index.js');
  const { db } = await context.database();
  const now = context.now();
  const tally = emptyTally();
  try {
    await collectGarbage(
      store,
      db,
      {
        delete: !dryRun,
        minAgeMs,
        now,
        examples: EXAMPLES,
        onDeleted: (progress) => reportProgress(context, progress),
      },
      tally,
    );
  } catch (error) {
    if (!dryRun) context.note(`gc stopped. ${summaryLine(tally)}`);
    throw error;
  }
  const view = { location: store.location, dryRun, minAgeMs, now };
  if (context.json) context.printJson(gcReportJson(tally, view));
  else context.print(...renderGcReport(tally, view, context.colors));
  const running = runningLine(tally);
  if (context.json && running !== undefined) context.note(running);
  return 0;
}

/** A progress line on stderr every PROGRESS_EVERY deletions. */
function reportProgress(context: CommandContext, tally: GcTally): void {
  const handled = tally.deleted.count + tally.keptOnDelete + tally.alreadyGone;
  if (handled % PROGRESS_EVERY !== 0) return;
  context.note(
    `deleted ${tally.deleted.count} artifacts so far (${formatBytes(tally.deleted.bytes)} freed)`,
  );
}
