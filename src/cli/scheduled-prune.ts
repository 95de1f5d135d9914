// `--prune-events-older-than DURATION` of `strata daemon` and `strata serve` (or
// $STRATA_PRUNE_EVENTS_OLDER_THAN): prunes old events and automation ticks as
// `strata events prune` does, soon after start and then once an hour. Two processes pruning
// the same database at once is harmless: both delete the same old rows, each batch is short.
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { CommandContext, OptionSpec } from './command.js';
import { MIN_OLDER_THAN_MS } from './commands/events.js';
import { durationOption } from './execution-setup.js';
import { ArgumentError } from './argument-error.js';
import { parseDuration } from '../definitions/index.js';
import { declaredDuration } from '../util/duration-text.js';

/** The environment variable read when the option is not given. */
export const PRUNE_ENV = 'STRATA_PRUNE_EVENTS_OLDER_THAN';
/** Prunes at most this often. */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** The first prune waits this long after start, so it does not compete with startup. */
const FIRST_PRUNE_AFTER_MS = 60 * 1000;

/** The option, for a command's options. */
export const PRUNE_OPTION: Readonly<Record<string, OptionSpec>> = {
  'prune-events-older-than': {
    type: 'string',
    valueName: 'DURATION',
    description: `prune events and ticks older than this once an hour (e.g. 30d; $${PRUNE_ENV})`,
  },
};

/** The retention asked for by the option or $STRATA_PRUNE_EVENTS_OLDER_THAN, undefined for none. */
export function pruneRetentionMs(context: CommandContext): number | undefined {
  const fromOption = durationOption(context, 'prune-events-older-than', MIN_OLDER_THAN_MS);
  if (fromOption !== undefined) return fromOption;
  const fromEnv = context.io.env[PRUNE_ENV]?.trim();
  if (fromEnv === undefined || fromEnv === '') return undefined;
  let ms: number;
  try {
    ms = parseDuration(fromEnv, PRUNE_ENV);
  } catch (error) {
    throw new ArgumentError(error instanceof Error ? error.message : String(error), {
      hint: `e.g. ${PRUNE_ENV}=30d`,
    });
  }
  if (ms < MIN_OLDER_THAN_MS) {
    throw new ArgumentError(`${PRUNE_ENV} must be at least ${declaredDuration(MIN_OLDER_THAN_MS)}`);
  }
  return ms;
}

/**
 * Starts pruning every PRUNE_EVERY_MS (the first time FIRST_PRUNE_AFTER_MS after start) when a
 * retention is set; stopped when the command exits. `timing` is for tests.
 */
export function startScheduledPrune(
  context: CommandContext,
  db: Kysely<Database>,
  retentionMs: number | undefined,
  label: string,
  timing: { readonly firstAfterMs: number; readonly everyMs: number } = {
    firstAfterMs: FIRST_PRUNE_AFTER_MS,
    everyMs: PRUNE_EVERY_MS,
  },
): void {
  if (retentionMs === undefined) return;
  let running: Promise<void> = Promise.resolve();
  const once = (): void => {
    running = (async () => {
      const { pruneHistory } = await import('../retention/index.js');
      const cutoff = new Date(context.now().getTime() - retentionMs);
      const tally = await pruneHistory(db, { cutoff, dryRun: false });
      let events = 0;
      for (const count of tally.events.values()) events += count;
      if (events + tally.ticks > 0) {
        context.note(
          `${label}: pruned ${events} event(s) and ${tally.ticks} automation tick(s) older than ${declaredDuration(retentionMs)}`,
        );
      }
    })().catch((error: unknown) => {
      context.note(
        `${label}: pruning events failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  };
  const first = setTimeout(once, timing.firstAfterMs);
  const hourly = setInterval(once, timing.everyMs);
  first.unref();
  hourly.unref();
  context.onExit(async () => {
    clearTimeout(first);
    clearInterval(hourly);
    await running;
  });
}
