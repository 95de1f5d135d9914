// Human output of `strata plan`: a summary line, the steps grouped per asset with their
// causes (the first few partitions of each asset unless --verbose), and what is left out.
import type { StaleCause } from '../../planner/index.js';
import type { PlanJson, PlanStepJson } from '../commands/plan.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

/** Partitions shown per asset without --verbose: enough to see the pattern. */
export const SHOWN_PARTITIONS = 5;

/** The lines of `strata plan`. */
export function renderPlan(plan: PlanJson, colors: Colors, verbose: boolean): string[] {
  const fresh = `${plan.freshCount} partition${plan.freshCount === 1 ? ' is' : 's are'} fresh`;
  if (plan.steps.length === 0) {
    return [`Nothing to do: ${fresh}.`, ...blockedLines(plan, verbose), ...expansionLines(plan)];
  }
  const { steps, missing, stale, forced } = plan.counts;
  const kinds = [
    missing > 0 ? `${missing} missing` : '',
    stale > 0 ? `${stale} stale` : '',
    forced > 0 ? `${forced} forced` : '',
  ].filter((k) => k !== '');
  const lines = [
    colors.bold(`Plan: ${steps} step${steps === 1 ? '' : 's'} (${kinds.join(', ')})`),
    '',
  ];
  const rows: string[][] = [];
  for (const group of groupByAsset(plan.steps)) {
    const first = group[0]!;
    if (group.length === 1 && first.partition === null) {
      rows.push([first.key, stepReason(first, colors)]);
      continue;
    }
    rows.push([first.key, colors.dim(`${group.length} partition${group.length === 1 ? '' : 's'}`)]);
    const shown = verbose ? group : group.slice(0, SHOWN_PARTITIONS);
    for (const step of shown)
      rows.push([`  ${step.key}[${step.partition ?? ''}]`, stepReason(step, colors)]);
    if (shown.length < group.length) {
      rows.push([
        colors.dim(`  ... and ${group.length - shown.length} more`),
        colors.dim('(--verbose lists them)'),
      ]);
    }
  }
  lines.push(...renderTable(rows));
  lines.push('');
  if (plan.freshCount > 0) {
    lines.push(`${fresh} and not planned${plan.force ? '' : ' (--force rebuilds them)'}.`);
  }
  lines.push(...blockedLines(plan, verbose), ...expansionLines(plan));
  return lines;
}

/** What failing blocking checks keep out of the plan: blocked partitions and held readers. */
export function blockedLines(
  plan: Pick<PlanJson, 'blockedCount' | 'held'>,
  verbose: boolean,
): string[] {
  const lines: string[] = [];
  const n = plan.blockedCount;
  if (n > 0)
    lines.push(
      `${n} partition${n === 1 ? ' is' : 's are'} blocked by a failing blocking check and not rebuilt (--force rebuilds ${n === 1 ? 'it' : 'them'}; strata why KEY[PART] says why).`,
    );
  if (plan.held.length === 0) return lines;
  const h = plan.held.length;
  lines.push(
    `${h} partition${h === 1 ? ' is' : 's are'} held back: ${h === 1 ? 'it reads' : 'they read'} a blocked partition.`,
  );
  const shown = verbose ? plan.held : plan.held.slice(0, SHOWN_PARTITIONS);
  for (const held of shown) {
    const name = held.partition === null ? held.key : `${held.key}[${held.partition}]`;
    lines.push(`  ${name} waits for ${held.blockedBy} (check ${held.checks.join(', ')})`);
  }
  if (shown.length < plan.held.length)
    lines.push(`  ... and ${plan.held.length - shown.length} more (--verbose lists them)`);
  return lines;
}

function expansionLines(plan: PlanJson): string[] {
  if (plan.expandsAtRunTime.length === 0) return [];
  return [
    `Expands at run time: ${plan.expandsAtRunTime.join(', ')} (their partitions come from a planned step).`,
  ];
}

/** `missing`, `forced (fresh)` or `stale: cause; category: cause`. */
export function stepReason(step: PlanStepJson, colors: Colors): string {
  if (step.forced)
    return colors.cyan(step.status === 'blocked' ? 'forced (blocked)' : 'forced (fresh)');
  if (step.status === 'missing') return colors.red('missing');
  return `${colors.yellow('stale')}: ${causesText(step.causes)}`;
}

/** Causes as one line: the first as its reason, the others prefixed by their category. */
export function causesText(causes: readonly StaleCause[]): string {
  return causes
    .map((cause, i) =>
      i === 0 || cause.category === 'code' ? cause.reason : `${cause.category}: ${cause.reason}`,
    )
    .join('; ');
}

function groupByAsset(steps: readonly PlanStepJson[]): PlanStepJson[][] {
  const groups = new Map<string, PlanStepJson[]>();
  for (const step of steps) {
    const group = groups.get(step.key);
    if (group === undefined) groups.set(step.key, [step]);
    else group.push(step);
  }
  return [...groups.values()];
}
