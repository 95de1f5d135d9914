// `strata backfill SELECTION [filters]`: create a durable backfill and drive it in the
// foreground until it ends (Ctrl-C leaves it running for the daemon or `strata backfill resume`);
// `strata backfill status|pause|resume|cancel|retry ID` and `strata backfill list` act on
// stored ones (docs/backfills.md).
import { localActor } from '../../access/index.js';
import type { BackfillProgress } from '../../backfills/index.js';
import { ArgumentError } from '../argument-error.js';
import type { Command, CommandContext } from '../command.js';
import { EXECUTION_OPTIONS, executionSetup, positiveInteger } from '../execution-setup.js';
import { backfillRenderer, renderBackfill } from '../render/backfill-view.js';
import { PARTITION_OPTION } from './plan.js';

/** The actions on a stored backfill, `strata backfill ACTION ID`. */
const ACTIONS = ['status', 'pause', 'resume', 'cancel', 'retry'] as const;
type Action = (typeof ACTIONS)[number];

/** Exit status after Ctrl-C: 128 + SIGINT, as shells expect. */
const EXIT_ON_INTERRUPT = 130;

/** `strata backfill`. */
export const backfillCommand: Command = {
  name: 'backfill',
  summary: 'Backfill partition ranges durably, in chunks: create, drive, pause, resume, retry',
  usage: [
    'strata backfill SELECTION [--from P --to P] [--partition P]... [--missing] [--failed] [--chunk-size N] [--max-runs N] [--detach] [options]',
    'strata backfill status|pause|resume|cancel|retry ID [--detach]',
    'strata backfill list',
  ],
  details: [
    'Stores every (asset, partition) target of the selection and its filters, then launches runs',
    'of --chunk-size targets (default 10), at most --max-runs at once (default 4), each target once',
    'what it reads in the backfill is done. Progress is in the database: Ctrl-C leaves the',
    'backfill running, and the automation daemon or `strata backfill resume ID` continues it.',
    '--detach creates (or resumes, retries) without driving: the daemon drives it. `retry`',
    'reruns only the failed (and held) targets, then what depends on them.',
  ],
  options: {
    from: { type: 'string', valueName: 'P', description: 'first partition of the range' },
    to: { type: 'string', valueName: 'P', description: 'last partition of the range' },
    partition: PARTITION_OPTION,
    missing: { type: 'boolean', description: 'only partitions missing now' },
    failed: { type: 'boolean', description: 'only partitions whose latest step failed' },
    force: { type: 'boolean', short: 'f', description: 'recompute fresh partitions too' },
    'chunk-size': { type: 'string', valueName: 'N', description: 'targets per run (default 10)' },
    'max-runs': { type: 'string', valueName: 'N', description: 'runs in flight (default 4)' },
    detach: { type: 'boolean', description: 'do not drive it here (the daemon will)' },
    ...EXECUTION_OPTIONS,
  },
  positionals: { min: 1, max: 2, names: 'a SELECTION, or an action and a backfill ID' },
  async run(context) {
    const [first, second] = context.args;
    if (context.args.length === 1 && first === 'list') return list(context);
    if (context.args.length === 2) {
      if (!ACTIONS.includes(first as Action)) {
        throw new ArgumentError(`unknown backfill action ${JSON.stringify(first)}`, {
          hint: `one of ${ACTIONS.join(', ')}, followed by a backfill ID`,
        });
      }
      if (!/^[1-9]\d{0,15}$/.test(second!)) {
        throw new ArgumentError(
          `a backfill ID is a positive integer, not ${JSON.stringify(second)}`,
          {
            hint: 'strata backfill list shows them',
          },
        );
      }
      return act(context, first as Action, Number(second));
    }
    return create(context, first!);
  },
};

async function create(context: CommandContext, selection: string): Promise<number> {
  const { createBackfill } = await import('../../backfills/index.js');
  const database = await context.database();
  const graph = await context.loadGraph();
  const created = await createBackfill(database.db, graph, {
    selection,
    from: context.flags.string('from'),
    to: context.flags.string('to'),
    partitions: context.flags.strings('partition'),
    missing: context.flags.boolean('missing'),
    failed: context.flags.boolean('failed'),
    force: context.flags.boolean('force'),
    chunkSize: positiveInteger(context.flags.string('chunk-size'), 'chunk-size'),
    maxRuns: positiveInteger(context.flags.string('max-runs'), 'max-runs'),
    launchedBy: localActor(),
  });
  if (!context.json)
    context.note(`backfill ${created.id}: ${created.targets} target(s) of ${selection}`);
  return drive(context, created.id);
}

async function act(context: CommandContext, action: Action, id: number): Promise<number> {
  const backfills = await import('../../backfills/index.js');
  const { db } = await context.database();
  if (action === 'pause') await backfills.pauseBackfill(db, id);
  if (action === 'cancel') {
    const { cancelRun } = await import('../../executor/index.js');
    for (const runId of await backfills.cancelBackfill(db, id))
      await cancelRun(db, runId, `backfill ${id} cancelled`);
  }
  if (action === 'resume' || action === 'retry') {
    if (action === 'resume') await backfills.resumeBackfill(db, id);
    else {
      const reset = await backfills.retryBackfill(db, id);
      if (!context.json) context.note(`backfill ${id}: ${reset} failed or held target(s) to rerun`);
    }
    return drive(context, id);
  }
  return report(context, await backfills.loadBackfillProgress(db, id));
}

/** Drives backfill `id` here unless --detach; prints its progress and returns the exit status. */
async function drive(context: CommandContext, id: number): Promise<number> {
  const { driveBackfill, loadBackfillProgress } = await import('../../backfills/index.js');
  if (context.flags.boolean('detach')) {
    const { db } = await context.database();
    if (!context.json) context.note(`the automation daemon drives backfill ${id}`);
    return report(context, await loadBackfillProgress(db, id));
  }
  const { engine, worker } = await executionSetup(context);
  const { RunLauncher } = await import('../../executor/index.js');
  const launcher = new RunLauncher(engine, worker);
  context.onExit(() => launcher.close());
  const interrupt = new AbortController();
  const onSignal = (): void => {
    if (interrupt.signal.aborted) process.exit(EXIT_ON_INTERRUPT);
    context.note(
      `\nstopping: backfill ${id} stays running; continue it with strata backfill resume ${id} (or the daemon)`,
    );
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const renderer = context.json ? undefined : backfillRenderer(context.io.stderr, context.colors);
  try {
    const progress = await driveBackfill(engine, launcher, id, {
      launchedBy: localActor(),
      signal: interrupt.signal,
      onProgress: (p) => renderer?.update(p),
    });
    renderer?.finish();
    const status = report(context, progress);
    return interrupt.signal.aborted ? EXIT_ON_INTERRUPT : status;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Prints `progress`; exit status 1 when the backfill failed or was cancelled. */
function report(context: CommandContext, progress: BackfillProgress): number {
  if (context.json) context.printJson(progress);
  else context.print(...renderBackfill(progress, context.colors));
  return progress.status === 'failed' || progress.status === 'canceled' ? 1 : 0;
}

async function list(context: CommandContext): Promise<number> {
  const { listBackfills } = await import('../../backfills/index.js');
  const { db } = await context.database();
  const rows = await listBackfills(db);
  if (context.json) context.printJson(rows);
  else if (rows.length === 0) context.print('no backfills');
  else
    for (const r of rows)
      context.print(
        `${r.id}  ${r.status}  ${r.totals.done}/${r.totals.targets} done, ${r.totals.failed} failed  ${r.selection}  ${r.createdAt}`,
      );
  return 0;
}
