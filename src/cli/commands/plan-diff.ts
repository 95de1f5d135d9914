// `strata plans diff A B`: what changed from plan A to plan B, field by field; `strata plans diff
// B`: what B changed from the plan it revises (its predecessor). Exit status 0 whatever changed.
import { comparePlans } from '../../plans/index.js';
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../command.js';
import { planDiffLines } from '../render/plan-diff-view.js';

/** Prints the changes between the plans named after `diff` (JSON with --json). */
export async function diffPlans(context: CommandContext): Promise<void> {
  const [first, second] = context.args.slice(1);
  if (first === undefined)
    throw new UsageError('strata plans diff needs one or two plan ids', {
      hint: 'strata plans diff plan-A plan-B, or strata plans diff plan-B (against what it revises)',
    });
  const { db } = await context.database();
  const comparison =
    second === undefined ? await comparePlans(db, first) : await comparePlans(db, second, first);
  if (context.json) context.printJson(comparison);
  else context.print(...planDiffLines(comparison, context.colors));
}
