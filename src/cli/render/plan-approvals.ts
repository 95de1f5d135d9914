// How the CLI shows the experiment plan behind a run in provenance and lineage: the plan, its
// state, and each approval (of the plan, and past each checkpoint) with who, when and why.
import type { RunPlan } from '../../provenance/index.js';
import type { Colors } from './colors.js';
import { relativeTime } from './time.js';

/** `plan-… (title) done, runs 2, 3` then one line per approval, indented. */
export function planLines(
  plan: RunPlan,
  colors: Colors,
  now: Date,
  runIds?: readonly number[],
): string[] {
  const runs =
    runIds === undefined ? '' : `, run${runIds.length === 1 ? '' : 's'} ${runIds.join(', ')}`;
  return [
    `${plan.id} (${plan.title}) ${plan.state}${runs}`,
    ...plan.approvals.map(
      (a) =>
        `  ${a.of === 'plan' ? 'approved' : 'continued past a checkpoint'} by ${a.by} (${a.origin}) ${colors.dim(relativeTime(a.at, now))}${a.comment === null ? '' : `: ${a.comment}`}`,
    ),
  ];
}
