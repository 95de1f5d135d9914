// `strata materialize [SELECTION]`: plan, write the run, execute it with an in-process worker
// pool (joined by any `strata worker` on the same database), show live progress and a summary.
import { ArgumentError } from '../argument-error.js';
import type { Command } from '../command.js';
import { EXECUTION_OPTIONS, executionSetup, positiveInteger } from '../execution-setup.js';
import { renderObservations } from '../render/observation-view.js';
import { renderPlan } from '../render/plan-view.js';
import { progressRenderer } from '../render/run-progress.js';
import { renderRunSummary } from '../render/run-summary-view.js';
import { PARTITION_OPTION, planToJson } from './plan.js';

/** Exit status of a run interrupted with Ctrl-C (128 + SIGINT), as shells expect. */
const EXIT_INTERRUPTED = 130;

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
    'Ctrl-C cancels cleanly (exit 130); the run can be resumed. Source assets the selection reads',
    'are observed first (--no-observe plans with their last observations).',
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
    const resumeRunId = resume === undefined ? undefined : positiveInteger(resume, 'resume', 0);
    const { graph, handle, artifacts, gitCommit, concurrency, leaseMs } =
      await executionSetup(context);
    const { materialize, observedEntries } = await import('../../executor/index.js');

    const interrupt = new AbortController();
    let interrupts = 0;
    const onSigint = (): void => {
      interrupts++;
      if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
      context.note('\ncancelling (Ctrl-C again to quit at once); resume later with --resume');
      interrupt.abort();
    };
    process.on('SIGINT', onSigint);
    const progress = context.json
      ? undefined
      : progressRenderer(context.io.stderr, context.colors, context.verbose);
    try {
      const outcome = await materialize({
        db: handle.db,
        queuePool: handle.pool,
        graph,
        artifacts,
        selection: context.args[0],
        force: context.flags.boolean('force'),
        partitions: context.flags.strings('partition'),
        concurrency,
        resumeRunId,
        leaseMs,
        gitCommit,
        signal: interrupt.signal,
        observe: !context.flags.boolean('no-observe'),
        onObserved: (outcomes) => {
          const entries = observedEntries(outcomes);
          if (!context.json) context.print(...renderObservations(entries, context.colors), '');
          for (const entry of entries.filter((e) => e.outcome === 'failed'))
            context.note(`warning: ${entry.key} keeps its last observed version`);
        },
        onPlan: (plan) => {
          if (!context.json && plan.steps.length > 0)
            context.print(...renderPlan(planToJson(plan), context.colors, false), '');
        },
        onProgress: (p) => progress?.update(p),
        onQueueLog: (level, message) => context.note(`queue ${level}: ${message}`),
      });
      progress?.finish();
      if (outcome.kind === 'nothing_to_do') {
        if (context.json)
          context.printJson({
            runId: null,
            status: 'nothing_to_do',
            plan: planToJson(outcome.plan),
            steps: [],
          });
        else
          context.print(
            `Nothing to do: ${outcome.plan.freshCount} partition${outcome.plan.freshCount === 1 ? ' is' : 's are'} fresh.`,
          );
        return 0;
      }
      const { summary } = outcome;
      if (context.json)
        context.printJson({ ...summary, plan: outcome.plan ? planToJson(outcome.plan) : null });
      else
        context.print(
          ...renderRunSummary(summary, context.colors, (key) =>
            graph.has(key) ? graph.node(key).order : Infinity,
          ),
        );
      if (summary.status === 'canceled') {
        if (!context.json)
          context.note(`resume with: strata materialize --resume ${summary.runId}`);
        return EXIT_INTERRUPTED;
      }
      return summary.status === 'succeeded' ? 0 : 1;
    } finally {
      progress?.finish();
      process.off('SIGINT', onSigint);
    }
  },
};
