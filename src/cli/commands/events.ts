// `strata events prune --older-than DURATION [--dry-run]`: retention of the run log. Deletes the
// events of finished runs and the automation ticks written more than DURATION ago, in batches of
// 10,000 rows (each its own short transaction), and prints what went, by kind, and the time it
// took. Runs, steps, attempts, materializations, input edges, latest pointers and tool calls stay:
// lineage, provenance and statuses read them, and none of them reads a finished run's events.
import { ArgumentError } from '../argument-error.js';
import type { Command, CommandContext } from '../command.js';
import { runAction } from '../command-actions.js';
import { durationOption } from '../execution-setup.js';
import { declaredDuration } from '../../util/duration-text.js';
import type { PruneTally } from '../../retention/index.js';

/** The shortest --older-than: a run that just finished may still be read by its watcher. */
export const MIN_OLDER_THAN_MS = 60 * 60 * 1000;

type Action = 'prune';

/** `strata events`. */
export const eventsCommand: Command = {
  name: 'events',
  summary: 'Prune old run events and automation ticks (lineage and provenance stay)',
  usage: ['strata events prune --older-than DURATION [--dry-run] [--json]'],
  details: [
    'prune deletes the events (the run log: outcomes, retries, user log lines and captured output)',
    'of finished runs and the automation ticks written more than --older-than ago (at least 1h),',
    `in batches of 10,000 rows; the newest 100 ticks are always kept. Runs, steps, attempts,`,
    'materializations, lineage edges, latest pointers and tool calls are never deleted, so',
    'lineage, provenance, status and why answer as before. --dry-run only counts.',
    '`strata daemon --prune-events-older-than 30d` prunes once an hour (docs/sql.md, Retention).',
  ],
  options: {
    'older-than': {
      type: 'string',
      valueName: 'DURATION',
      description: 'prune: delete what is older than this (e.g. 30d; at least 1h)',
    },
    'dry-run': { type: 'boolean', description: 'prune: count only, delete nothing' },
  },
  positionals: { min: 1, max: 1, names: 'an action: prune' },
  run: (context) => runAction<Action>(context, 'events', { prune }),
};

/** `strata events prune`. */
async function prune(context: CommandContext): Promise<number> {
  const olderThanMs = durationOption(context, 'older-than', MIN_OLDER_THAN_MS);
  if (olderThanMs === undefined) {
    throw new ArgumentError('strata events prune needs --older-than', {
      hint: 'e.g. strata events prune --older-than 30d',
    });
  }
  const dryRun = context.flags.boolean('dry-run');
  const { pruneHistory } = await import('../../retention/index.js');
  const { db } = await context.database();
  const cutoff = new Date(context.now().getTime() - olderThanMs);
  const started = performance.now();
  const tally = await pruneHistory(db, {
    cutoff,
    dryRun,
    onBatch: (so) => {
      if (so.batches % 10 === 0) context.note(`${describeTotals(so)} removed so far`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (context.json) {
    context.printJson({
      dryRun,
      cutoff: cutoff.toISOString(),
      olderThanMs,
      events: Object.fromEntries([...tally.events].sort(([a], [b]) => a.localeCompare(b))),
      eventsTotal: eventsTotal(tally),
      ticks: tally.ticks,
      batches: tally.batches,
      seconds,
    });
    return 0;
  }
  const verb = dryRun ? 'would remove' : 'removed';
  context.print(
    `${verb} ${describeTotals(tally)} older than ${declaredDuration(olderThanMs)} (before ${cutoff.toISOString()}) in ${seconds.toFixed(2)}s${dryRun ? ' (dry run: nothing deleted)' : ''}`,
  );
  const kinds = [...tally.events].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const width = Math.max(0, ...kinds.map(([kind]) => kind.length));
  for (const [kind, count] of kinds) context.print(`  ${kind.padEnd(width)}  ${count}`);
  return 0;
}

function eventsTotal(tally: PruneTally): number {
  let total = 0;
  for (const count of tally.events.values()) total += count;
  return total;
}

function describeTotals(tally: PruneTally): string {
  const events = eventsTotal(tally);
  return `${events} event${events === 1 ? '' : 's'} and ${tally.ticks} automation tick${tally.ticks === 1 ? '' : 's'}`;
}
