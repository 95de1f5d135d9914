// `strata daemon [--interval 30s] [--once]`: the automation daemon on its own. Every interval,
// if no other daemon on this database is acting, it evaluates the automated assets and launches
// a run for what needs a rebuild; the runs execute in this process's worker pool (and in any
// `strata worker`). `strata serve` runs the same daemon unless --no-automation.
import { parseDuration } from '../../definitions/index.js';
import { ArgumentError } from '../argument-error.js';
import type { Command, CommandContext } from '../command.js';
import { EXECUTION_OPTIONS, executionSetup } from '../execution-setup.js';
import {
  NO_RELOAD_OPTION,
  reloadedFiles,
  reportReady,
  superviseIfReloading,
  untilStopped,
} from '../reload-supervisor.js';
import { describeTick } from '../render/tick-view.js';
import { PRUNE_OPTION, pruneRetentionMs, startScheduledPrune } from '../scheduled-prune.js';

/** Ticks closer than this would evaluate the graph back to back for nothing. */
const MIN_INTERVAL_MS = 1_000;

/** Parses --interval, naming it in the error. */
export function intervalOption(context: CommandContext): number | undefined {
  const value = context.flags.string('interval');
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value, '--interval');
  } catch (error) {
    throw new ArgumentError(error instanceof Error ? error.message : String(error), {
      hint: 'e.g. --interval 30s',
    });
  }
  if (ms < MIN_INTERVAL_MS) throw new ArgumentError('--interval must be at least 1s');
  return ms;
}

/** `strata daemon`. */
export const daemonCommand: Command = {
  name: 'daemon',
  summary: 'Run the automation daemon: rebuild automated assets when they need it',
  usage: [
    'strata daemon [--interval DURATION] [--once] [--prune-events-older-than DURATION] [--concurrency N] [options]',
  ],
  details: [
    'Each tick observes the source assets that are due, then rebuilds automated assets as their',
    "policy says: 'eager' when missing or stale, { onCron } once per cron tick if stale,",
    "'freshness' before the freshness policy fails (with what it needs upstream). A failing asset",
    'is retried with backoff (1 min, doubling up to 1 h). Only one daemon per database acts at a',
    'time (an advisory lock); others stand by and take over when it stops.',
    '`strata automation history` lists the ticks. Changed definitions are reloaded (a new',
    'process takes over; --no-reload: not). --prune-events-older-than 30d deletes events and ticks',
    'older than 30 days once an hour, as `strata events prune` does.',
  ],
  options: {
    interval: {
      type: 'string',
      valueName: 'DURATION',
      description: 'time between ticks (default 30s)',
    },
    once: { type: 'boolean', description: 'tick once, wait for the run it launched, and exit' },
    ...PRUNE_OPTION,
    ...NO_RELOAD_OPTION,
    ...EXECUTION_OPTIONS,
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const intervalMs = intervalOption(context);
    const retentionMs = pruneRetentionMs(context);
    // A daemon that keeps running reloads changed definitions in a new worker process
    // (reload-supervisor.ts); two daemons overlap for a moment, and only one acts at a time.
    if (!context.flags.boolean('once')) {
      const supervised = await superviseIfReloading(context, 'daemon');
      if (supervised !== undefined) return supervised;
    }
    const { engine, worker } = await executionSetup(context);
    const { graph } = engine;
    const { db, pool } = engine.database;
    const { AutomationDaemon } = await import('../../automation/index.js');
    const { RunLauncher, watchRun } = await import('../../executor/index.js');
    const launcher = new RunLauncher(engine, worker);
    const daemon = new AutomationDaemon(engine, {
      launcher,
      ...(intervalMs === undefined ? {} : { intervalMs }),
      now: () => context.now(),
      onTick: (result) => {
        if (context.json) context.printJson(result);
        else context.print(describeTick(result));
      },
    });
    context.onExit(async () => {
      await daemon.stop();
      await launcher.close();
    });
    const automated = graph.order.filter((key) => graph.node(key).definition.automation);
    const sources = graph.order.filter((key) => graph.node(key).definition.observation);
    if (context.flags.boolean('once')) {
      const result = await daemon.tick();
      if (result.status === 'standby') {
        context.print('another daemon is acting on this database: nothing done');
        return 0;
      }
      if (result.launched.length === 0 && result.held.length === 0) {
        context.print(`${automated.length} automated asset(s): nothing to do`);
        const { freshnessHints } = await import('../freshness-hint.js');
        for (const hint of await freshnessHints(db, graph, automated, context.now())) {
          context.print(`  ${hint}`);
        }
      }
      if (result.runId === null) return result.status === 'failed' ? 1 : 0;
      const final = await watchRun(db, pool, result.runId, () => undefined);
      context.print(`run ${result.runId} ${final.status}`);
      return result.status === 'failed' || final.status !== 'succeeded' ? 1 : 0;
    }
    daemon.start();
    startScheduledPrune(context, db, retentionMs, `strata daemon ${daemon.id}`);
    const reloaded = reloadedFiles(context.io.env);
    context.print(
      reloaded.length > 0
        ? `strata daemon ${daemon.id}: definitions changed (${reloaded.join(', ')}): reloaded, ${automated.length} automated asset(s) of ${graph.size}`
        : `strata daemon ${daemon.id}: ${automated.length} automated asset(s) and ${sources.length} source asset(s) of ${graph.size}; Ctrl-C to stop`,
    );
    reportReady();
    const signal = await untilStopped();
    if (signal !== 'reload') context.note(`${signal}: stopping (running steps finish first)...`);
  },
};
