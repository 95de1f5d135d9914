// `strata materialize [SELECTION]`: plan, write the run, execute it with an in-process worker
// pool (joined by any `strata worker` on the same database), show live progress and a summary.
import { localActor } from '../../access/index.js';
import type { Plan } from '../../planner/index.js';
import type { ObservedEntry } from '../../store/index.js';
import { DatabaseUnavailableError } from '../../store/outage.js';
import { ArgumentError } from '../argument-error.js';
import type { Command } from '../command.js';
import { EXECUTION_OPTIONS, executionSetup, positiveInteger } from '../execution-setup.js';
import { renderObservations } from '../render/observation-view.js';
import { blockedLines, renderPlan } from '../render/plan-view.js';
import { progressRenderer } from '../render/run-progress.js';
import { renderRunSummary } from '../render/run-summary-view.js';
import { PARTITION_OPTION, planToJson } from './plan.js';

/** Exit status of a run stopped by a signal: 128 + its number, as shells expect. */
const EXIT_ON_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_ON_SIGNAL;

/** `strata materialize`. */
export const materializeCommand: Command = {
  name: 'materialize',
  summary: 'Materialize the missing and stale partitions of a selection',
  usage: [
    'strata materialize [SELECTION] [--force] [--partition P]... [--concurrency N] [options]',
    'strata materialize --resume RUN',
  ],
  details: [
    'Plans like `strata plan`, records a run, and executes its steps durably: a killed run can be',
    'finished with --resume, and `strata worker` processes on the same database share the work.',
    'Ctrl-C or SIGTERM cancels cleanly (exit 130 or 143); the run can be resumed. Source assets',
    'the selection reads are observed first (--no-observe plans with their last observations).',
  ],
  options: {
    force: { type: 'boolean', short: 'f', description: 'recompute fresh partitions too' },
    'no-observe': {
      type: 'boolean',
      description: 'plan with the last observations of source assets instead of observing now',
    },
    partition: PARTITION_OPTION,
    ...EXECUTION_OPTIONS,
    resume: {
      type: 'string',
      valueName: 'RUN',
      description: 'finish run RUN instead of planning a new one',
    },
  },
  positionals: { min: 0, max: 1, names: 'a SELECTION' },
  async run(context) {
    const resume = context.flags.string('resume');
    if (
      resume !== undefined &&
      (context.args.length > 0 ||
        context.flags.boolean('force') ||
        context.flags.strings('partition').length > 0)
    ) {
      throw new ArgumentError(
        '--resume finishes an existing run as it was planned: it takes no SELECTION, --force or --partition',
      );
    }
    const resumeRunId = positiveInteger(resume, 'resume');
    const { engine, worker } = await executionSetup(context);
    const { materialize, observedEntries } = await import('../../executor/index.js');

    // Ctrl-C and SIGTERM (a service manager, a container stop) both cancel the run cleanly; a
    // second signal quits at once.
    const interrupt = new AbortController();
    let stoppedBy: StopSignal | undefined;
    const onSignal = (signal: StopSignal): void => {
      if (stoppedBy !== undefined) process.exit(EXIT_ON_SIGNAL[signal]);
      stoppedBy = signal;
      context.note(
        `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: cancelling (again to quit at once); resume later with --resume`,
      );
      interrupt.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const progress = context.json
      ? undefined
      : progressRenderer(context.io.stderr, context.colors, context.verbose);
    let runId: number | undefined;
    // What observing the sources found before planning: printed as it happens, in the JSON at the end.
    let observed: readonly ObservedEntry[] = [];
    try {
      const outcome = await materialize(engine, {
        ...worker,
        selection: context.args[0],
        force: context.flags.boolean('force'),
        partitions: context.flags.strings('partition'),
        resumeRunId,
        launchedBy: localActor(),
        signal: interrupt.signal,
        observe: !context.flags.boolean('no-observe'),
        onObserved: (outcomes) => {
          const entries = (observed = observedEntries(outcomes));
          if (!context.json) context.print(...renderObservations(entries, context.colors), '');
          for (const entry of entries.filter((e) => e.outcome === 'failed'))
            context.note(`warning: ${entry.key} keeps its last observed version`);
        },
        onRunCreated: (id) => (runId = id),
        onPlan: (plan) => {
          if (!context.json && plan.steps.length > 0)
            context.print(...renderPlan(planToJson(plan), context.colors, false), '');
        },
        onProgress: (p) => progress?.update(p),
      });
      progress?.finish();
      if (outcome.kind === 'nothing_to_do') {
        if (context.json)
          context.printJson({
            runId: null,
            status: 'nothing_to_do',
            observed,
            plan: planToJson(outcome.plan),
            steps: [],
          });
        else
          context.print(
            `Nothing to do: ${outcome.plan.freshCount} partition${outcome.plan.freshCount === 1 ? ' is' : 's are'} fresh.`,
            ...blockedLines(planToJson(outcome.plan), false),
          );
        return blockedExit(outcome.plan, context.note);
      }
      const { summary } = outcome;
      if (context.json)
        context.printJson({
          ...summary,
          observed,
          plan: outcome.plan ? planToJson(outcome.plan) : null,
        });
      else
        context.print(
          ...renderRunSummary(summary, context.colors, (key) =>
            engine.graph.has(key) ? engine.graph.node(key).order : Infinity,
          ),
        );
      if (summary.status === 'canceled') {
        if (!context.json)
          context.note(`resume with: strata materialize --resume ${summary.runId}`);
        return EXIT_ON_SIGNAL[stoppedBy ?? 'SIGINT'];
      }
      if (summary.status !== 'succeeded') return 1;
      return outcome.plan === undefined ? 0 : blockedExit(outcome.plan, context.note);
    } catch (error) {
      // The run itself is safe in the database: say how to finish it once the database is back.
      if (runId !== undefined && error instanceof DatabaseUnavailableError) {
        progress?.finish();
        context.note(
          `run ${runId} was left running; finish it with: strata materialize --resume ${runId}`,
        );
      }
      throw error;
    } finally {
      progress?.finish();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

/**
 * 1 when failing blocking checks left selected partitions out of date (blocked, or held back
 * because they read a blocked partition), saying so on stderr; else 0.
 */
function blockedExit(plan: Plan, note: (line: string) => void): number {
  const left = plan.blockedCount + plan.held.length;
  if (left === 0) return 0;
  note(
    `${left} selected partition${left === 1 ? ' is' : 's are'} not up to date because of failing blocking checks (strata status shows them)`,
  );
  return 1;
}
