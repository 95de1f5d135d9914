// A run's steps as the rows of its Gantt: the steps of a partitioned asset gathered under one
// group per asset (its span and its steps' counts by status), shown one row per partition only
// while the group is expanded; an unpartitioned asset's step is a row of its own. Groups and
// rows come in the order of their first start (steps not started yet last).
import type { RunAttempt, RunDetail, RunStep } from '../api/types.js';

/** One step with its attempts in order. */
export interface StepRow {
  readonly kind: 'step';
  readonly step: RunStep;
  readonly attempts: readonly RunAttempt[];
  /** `key[partition]`. */
  readonly label: string;
  /** Whether it is drawn under its asset's group. */
  readonly grouped: boolean;
}

/** The steps of one partitioned asset. */
export interface GroupRow {
  readonly kind: 'group';
  readonly key: string;
  readonly steps: readonly RunStep[];
  readonly expanded: boolean;
  /** From the first attempt's start to the last one's end (undefined: nothing ran yet). */
  readonly span: { readonly start: number; readonly end: number } | undefined;
  /** Steps by status, most first (equal counts: done ones first). */
  readonly counts: readonly (readonly [RunStep['status'], number])[];
}

export type GanttRow = StepRow | GroupRow;

/** Where the timeline of `run` ends: its finish, or `now` while it runs. */
export function runEnd(run: RunDetail, now: number): number {
  const start = Date.parse(run.createdAt);
  return Math.max(start + 1, run.finishedAt === null ? now : Date.parse(run.finishedAt));
}

/** `key[partition]` of a step. */
export function stepLabel(step: RunStep): string {
  return `${step.key}${step.partition === null ? '' : `[${step.partition}]`}`;
}

/**
 * The rows of `run` at time `end` (running attempts extend to it). `isExpanded` says which
 * groups show their steps.
 */
export function ganttRows(
  run: RunDetail,
  end: number,
  isExpanded: (key: string) => boolean,
): GanttRow[] {
  const attemptsByStep = new Map<number, RunAttempt[]>();
  for (const attempt of run.attempts) {
    let list = attemptsByStep.get(attempt.stepId);
    if (list === undefined) attemptsByStep.set(attempt.stepId, (list = []));
    list.push(attempt);
  }
  for (const list of attemptsByStep.values()) list.sort((a, b) => a.number - b.number);
  const startOf = (step: RunStep): number => time(step.startedAt ?? step.finishedAt, end);
  const byStart = (a: RunStep, b: RunStep): number =>
    startOf(a) - startOf(b) || a.stepId - b.stepId;

  // Top-level entries: each unpartitioned step, and each partitioned asset's steps.
  const partitioned = new Map<string, RunStep[]>();
  const entries: { first: RunStep; steps: RunStep[]; group: string | undefined }[] = [];
  for (const step of run.steps) {
    if (step.partition === null) {
      entries.push({ first: step, steps: [step], group: undefined });
      continue;
    }
    let steps = partitioned.get(step.key);
    if (steps === undefined) {
      partitioned.set(step.key, (steps = []));
      entries.push({ first: step, steps, group: step.key });
    }
    steps.push(step);
  }
  for (const entry of entries) {
    entry.steps.sort(byStart);
    entry.first = entry.steps[0]!;
  }
  entries.sort((a, b) => byStart(a.first, b.first));

  const rows: GanttRow[] = [];
  const add = (row: GanttRow): void => {
    rows.push(row);
  };
  const stepRow = (step: RunStep, grouped: boolean): StepRow => ({
    kind: 'step',
    step,
    attempts: attemptsByStep.get(step.stepId) ?? [],
    label: stepLabel(step),
    grouped,
  });
  for (const entry of entries) {
    if (entry.group === undefined) {
      add(stepRow(entry.first, false));
      continue;
    }
    const expanded = isExpanded(entry.group);
    add({
      kind: 'group',
      key: entry.group,
      steps: entry.steps,
      expanded,
      span: spanOf(entry.steps, attemptsByStep, end),
      counts: countsOf(entry.steps),
    });
    if (expanded) for (const step of entry.steps) add(stepRow(step, true));
  }
  return rows;
}

function time(iso: string | null, fallback: number): number {
  return iso === null ? fallback : Date.parse(iso);
}

function spanOf(
  steps: readonly RunStep[],
  attemptsByStep: ReadonlyMap<number, readonly RunAttempt[]>,
  end: number,
): GroupRow['span'] {
  let start = Infinity;
  let last = -Infinity;
  for (const step of steps) {
    for (const attempt of attemptsByStep.get(step.stepId) ?? []) {
      start = Math.min(start, Date.parse(attempt.startedAt));
      last = Math.max(last, attempt.finishedAt === null ? end : Date.parse(attempt.finishedAt));
    }
    // Steps that did no work (reused, cut off, skipped) have a finish time and no attempt.
    if (step.finishedAt !== null) {
      start = Math.min(start, Date.parse(step.finishedAt));
      last = Math.max(last, Date.parse(step.finishedAt));
    }
  }
  return start === Infinity ? undefined : { start, end: last };
}

/** The order of outcomes with equal counts (done ones first, as in the progress bars). */
const STATUS_ORDER: readonly RunStep['status'][] = [
  'succeeded',
  'reused',
  'fresh',
  'failed',
  'skipped',
  'canceled',
  'running',
  'retrying',
  'queued',
  'waiting',
];

function countsOf(steps: readonly RunStep[]): GroupRow['counts'] {
  const counts = new Map<RunStep['status'], number>();
  for (const step of steps) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
  return [...counts].sort(
    (a, b) => b[1] - a[1] || STATUS_ORDER.indexOf(a[0]) - STATUS_ORDER.indexOf(b[0]),
  );
}
