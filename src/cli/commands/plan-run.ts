// `strata plans execute ID` and `strata plans continue ID`: start the next run of an approved
// plan through the gate (src/plans/execute-plan.ts) and work on it here with live progress, like
// `strata materialize`; Ctrl-C cancels the run (the plan is then stopped; `strata materialize
// --resume RUN` takes it up again). The run ends at the plan's next checkpoint or at its end.
import { hostName } from '../../util/host-name.js';
import { localActor } from '../../access/index.js';
import type { PlanRunAction } from '../../plans/index.js';
import type { CommandContext } from '../command.js';
import { executionSetup } from '../execution-setup.js';
import { renderPlan } from '../render/plan-view.js';
import { progressRenderer } from '../render/run-progress.js';
import { renderRunSummary } from '../render/run-summary-view.js';
import { planToJson } from './plan.js';

/** Exit status after Ctrl-C, as shells expect. */
const EXIT_ON_INTERRUPT = 130;

/** Starts the plan's next run (`action`) and works on it to its end; returns the exit status. */
export async function runPlanSegment(
  context: CommandContext,
  planId: string,
  action: PlanRunAction,
): Promise<number> {
  const { engine, worker } = await executionSetup(context);
  const [{ loadPlan, startPlanRun }, { observeBeforeRun, workOnRun }] = await Promise.all([
    import('../../plans/index.js'),
    import('../../executor/index.js'),
  ]);
  const { db } = engine.database;
  const stored = await loadPlan(db, planId);
  await observeBeforeRun(engine, { selection: stored.document.pipeline });
  const actor = { name: localActor(), role: 'admin' as const, origin: `cli on ${hostName()}` };
  const started = await startPlanRun(db, engine.graph, planId, action, actor, {
    concurrency: worker.concurrency,
    gitCommit: engine.gitCommit,
    ...(context.flags.string('comment') === undefined
      ? {}
      : { comment: context.flags.string('comment')! }),
  });
  const checkpointNote =
    started.checkpoint === null
      ? 'to the end of the plan'
      : `to checkpoint ${started.checkpoint + 1} (after ${stored.document.checkpoints[started.checkpoint]!.after})`;
  if (started.runId === null) {
    if (context.json) context.printJson({ planId, runId: null, state: started.state });
    else
      context.print(
        `${planId}: nothing to compute ${checkpointNote}; the plan is ${started.state}.`,
      );
    return 0;
  }
  if (!context.json)
    context.print(
      `${planId}: run ${started.runId}, ${checkpointNote}`,
      ...renderPlan(planToJson(started.plan!), context.colors, false),
      '',
    );
  const interrupt = new AbortController();
  const onSignal = (): void => {
    context.note(
      `\ncancelling run ${started.runId}; take it up again with: strata materialize --resume ${started.runId}`,
    );
    interrupt.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = context.json
    ? undefined
    : progressRenderer(context.io.stderr, context.colors, context.verbose);
  try {
    const summary = await workOnRun(
      engine,
      started.runId,
      { signal: interrupt.signal, onProgress: (p) => progress?.update(p) },
      worker,
    );
    progress?.finish();
    const after = await loadPlan(db, planId);
    if (context.json) context.printJson({ planId, state: after.state, ...summary });
    else {
      context.print(
        ...renderRunSummary(summary, context.colors, (key) =>
          engine.graph.has(key) ? engine.graph.node(key).order : Infinity,
        ),
        '',
        after.state === 'waiting'
          ? `${planId} waits at checkpoint ${started.checkpoint! + 1}: ${stored.document.checkpoints[started.checkpoint!]!.note ?? `look at ${stored.document.checkpoints[started.checkpoint!]!.after}`}. Continue with: strata plans continue ${planId}; or stop it: strata plans stop ${planId}`
          : `${planId} is ${after.state}.`,
      );
    }
    if (summary.status === 'canceled') return EXIT_ON_INTERRUPT;
    return summary.status === 'succeeded' ? 0 : 1;
  } finally {
    progress?.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
