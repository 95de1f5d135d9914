// `strata plan [SELECTION] [--force] [--partition P]...`: what `strata materialize` would run
// and why, without running anything.
import { formatAssetPartition } from '../../graph/index.js';
import { createPlan, type Plan, type PlannedStep } from '../../planner/index.js';
import type { Command, OptionSpec } from '../command.js';
import { renderPlan } from '../render/plan-view.js';

/** One step in `strata plan --json`. */
export interface PlanStepJson {
  readonly key: string;
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly status: PlannedStep['status'];
  readonly forced: boolean;
  readonly causes: PlannedStep['causes'];
  /** Indexes into `steps` of the steps this one waits for. */
  readonly upstream: readonly number[];
}

/** A partition `strata plan --json` holds back. */
export interface HeldStepJson {
  readonly key: string;
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly status: PlannedStep['status'];
  /** The blocked partition it waits for, as `key[partition]`. */
  readonly blockedBy: string;
  /** The blocking checks that failed there. */
  readonly checks: readonly string[];
}

/** The `strata plan --json` document. */
export interface PlanJson {
  readonly selection: string;
  readonly force: boolean;
  readonly steps: readonly PlanStepJson[];
  readonly counts: {
    readonly steps: number;
    readonly missing: number;
    readonly stale: number;
    readonly forced: number;
  };
  /** Selected partitions that are fresh and not planned. */
  readonly freshCount: number;
  /** Selected partitions blocked by their own failing blocking check, not planned (without --force). */
  readonly blockedCount: number;
  /** Missing or stale partitions not planned because what they read is blocked. */
  readonly held: readonly HeldStepJson[];
  /** Assets whose partitions are produced by a planned step: more steps appear at run time. */
  readonly expandsAtRunTime: readonly string[];
}

/** The JSON form of a plan. */
export function planToJson(plan: Plan): PlanJson {
  const steps = plan.steps.map((step) => ({
    key: step.key,
    partition:
      plan.report.partitionSets.get(step.key)?.partitioned === true ? step.partition : null,
    status: step.status,
    forced: step.forced,
    causes: step.causes,
    upstream: step.upstream,
  }));
  return {
    selection: plan.selection.text,
    force: plan.force,
    steps,
    counts: {
      steps: steps.length,
      missing: steps.filter((s) => s.status === 'missing').length,
      stale: steps.filter((s) => s.status === 'stale').length,
      forced: steps.filter((s) => s.forced).length,
    },
    freshCount: plan.freshCount,
    blockedCount: plan.blockedCount,
    held: plan.held.map((held) => ({
      key: held.key,
      partition:
        plan.report.partitionSets.get(held.key)?.partitioned === true ? held.partition : null,
      status: held.status,
      blockedBy: formatAssetPartition(held.blockedBy.key, held.blockedBy.partition),
      checks: held.checks,
    })),
    expandsAtRunTime: plan.expandsAtRunTime,
  };
}

/** `--partition P`, shared by plan and materialize. */
export const PARTITION_OPTION: OptionSpec = {
  type: 'string',
  short: 'p',
  multiple: true,
  valueName: 'P',
  description: 'only these partitions of the partitioned assets',
};

/** `strata plan`. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what materialize would run, and why',
  usage: ['strata plan [SELECTION] [--force] [--partition P]... [options]'],
  details: [
    'Lists the steps `strata materialize` would run for the same arguments: missing and stale',
    'partitions with every cause, in dependency order. Nothing is run or recorded.',
  ],
  options: {
    force: { type: 'boolean', short: 'f', description: 'plan fresh partitions too' },
    partition: PARTITION_OPTION,
  },
  positionals: { min: 0, max: 1, names: 'a SELECTION' },
  async run(context) {
    context.prefetchDatabase(); // connects and checks the schema while the definitions load
    const graph = await context.loadGraph();
    const { db } = await context.database();
    const plan = await createPlan(db, graph, context.args[0], {
      force: context.flags.boolean('force'),
      partitions: context.flags.strings('partition'),
    });
    const json = planToJson(plan);
    if (context.json) context.printJson(json);
    else context.print(...renderPlan(json, context.colors, context.verbose));
  },
};
