// The legal transitions of a step, declared once as data: each with the operation that performs
// it and the columns it writes. SQL writers take their `where status` predicates from
// `fromStatesOf(operation)` and their target statuses from `targetOf` or `transitionTo`, so a
// status set is written once; a table-driven test walks every pair of statuses and applies each
// operation's real SQL to a step in every status (test/executor/step-states.test.ts).
import type { StepStatus } from './schema.js';
import { PENDING_STEP_STATUSES, STEP_STATUSES, UNSUCCESSFUL_STEP_STATUSES } from './step-states.js';

/** The operations that change a step's status; each is one function of the executor. */
export type StepOperation =
  | 'create'
  | 'expand'
  | 'release'
  | 'adopt'
  | 'fuse'
  | 'claim'
  | 'complete'
  | 'retry'
  | 'fail'
  | 'cancel_attempt'
  | 'cancel'
  | 'skip'
  | 'hand_back'
  | 'release_unstarted'
  | 'resume';

/** Columns of a step a transition writes besides `status` (setting one back to null counts). */
export type StepColumn =
  | 'deps_remaining'
  | 'attempts'
  | 'max_attempts'
  | 'current_attempt_id'
  | 'started_at'
  | 'finished_at'
  | 'error'
  | 'materialization_id'
  | 'input_hash';

/** One row of the step transition table. */
export interface StepTransitionSpec {
  readonly operation: StepOperation;
  /** The statuses it moves a step from; null: the step is inserted in `to`. */
  readonly from: readonly StepStatus[] | null;
  readonly to: StepStatus;
  readonly writes: readonly StepColumn[];
  /** The function that performs it. */
  readonly by: string;
  /** When it happens. */
  readonly when: string;
}

/**
 * The legal step transitions. A status change not in this table is a bug; `canTransition` and
 * `fromStatesOf` read it, the state diagram in docs/architecture.md is generated from it.
 */
export const STEP_TRANSITIONS = [
  {
    operation: 'create',
    from: null,
    to: 'waiting',
    writes: ['deps_remaining', 'max_attempts'],
    by: 'createRun',
    when: 'the planned step has upstream steps in the run',
  },
  {
    operation: 'create',
    from: null,
    to: 'queued',
    writes: ['max_attempts'],
    by: 'createRun',
    when: 'it has none (its job is added in the same transaction)',
  },
  {
    operation: 'expand',
    from: null,
    to: 'waiting',
    writes: ['deps_remaining', 'max_attempts'],
    by: 'expandProducedPartitions',
    when: 'a produced partition has no step yet, and its upstream steps are not all finished',
  },
  {
    operation: 'expand',
    from: null,
    to: 'queued',
    writes: ['max_attempts'],
    by: 'expandProducedPartitions',
    when: 'a produced partition has no step yet and nothing to wait for',
  },
  {
    operation: 'expand',
    from: PENDING_STEP_STATUSES,
    to: 'skipped',
    writes: ['finished_at', 'error'],
    by: 'expandProducedPartitions',
    when: 'its partition is no longer produced (its dependants are released)',
  },
  {
    operation: 'release',
    from: ['waiting'],
    to: 'queued',
    writes: ['deps_remaining'],
    by: 'releaseDependants',
    when: 'its last upstream step finished (done, or skipped as no longer produced)',
  },
  {
    operation: 'adopt',
    from: ['waiting'],
    to: 'running',
    writes: ['deps_remaining', 'attempts', 'current_attempt_id', 'started_at'],
    by: 'completeSteps (the server-side completion)',
    when: 'its last upstream step finished, and the worker that finished it claims it in the same update',
  },
  {
    operation: 'fuse',
    from: ['waiting'],
    to: 'running',
    writes: ['deps_remaining', 'attempts', 'current_attempt_id', 'started_at'],
    by: 'completeSteps (chain fusion)',
    when: 'the worker that computed its only upstream step computed it right after, in memory, and records both in one completion (then complete, in the same transaction)',
  },
  {
    operation: 'claim',
    from: ['queued', 'retrying'],
    to: 'running',
    writes: ['attempts', 'current_attempt_id', 'started_at'],
    by: 'claimSteps, and adoption in completeSteps when done step by step',
    when: 'a worker records a new attempt',
  },
  {
    operation: 'claim',
    from: ['running'],
    to: 'running',
    writes: ['attempts', 'current_attempt_id'],
    by: 'claimSteps',
    when: 'its attempt is lost (worker not alive, or abandoned by this one): taken over',
  },
  {
    operation: 'complete',
    from: ['running'],
    to: 'succeeded',
    writes: ['materialization_id', 'input_hash', 'finished_at'],
    by: 'completeSteps',
    when: 'its owning attempt computed and recorded a materialization',
  },
  {
    operation: 'complete',
    from: ['running'],
    to: 'reused',
    writes: ['materialization_id', 'input_hash', 'finished_at'],
    by: 'completeSteps',
    when: 'its owning attempt found a materialization with identical inputs',
  },
  {
    operation: 'complete',
    from: ['running'],
    to: 'fresh',
    writes: ['materialization_id', 'input_hash', 'finished_at'],
    by: 'completeSteps',
    when: 'its owning attempt found the latest materialization up to date (early cutoff)',
  },
  {
    operation: 'retry',
    from: ['running'],
    to: 'retrying',
    writes: ['error'],
    by: 'failStep',
    when: 'its attempt failed or timed out and attempts remain (a delayed job)',
  },
  {
    operation: 'fail',
    from: ['running'],
    to: 'failed',
    writes: ['error', 'finished_at'],
    by: 'failStep',
    when: 'its last attempt failed or timed out (then everything downstream is skipped)',
  },
  {
    operation: 'cancel_attempt',
    from: ['running'],
    to: 'canceled',
    writes: ['error', 'finished_at'],
    by: 'failStep',
    when: 'its attempt was aborted because the run was cancelled',
  },
  {
    operation: 'cancel',
    from: PENDING_STEP_STATUSES,
    to: 'canceled',
    writes: ['error', 'finished_at'],
    by: 'cancelRun',
    when: 'the run is cancelled (running steps end with their attempts)',
  },
  {
    operation: 'skip',
    from: PENDING_STEP_STATUSES,
    to: 'skipped',
    writes: ['error', 'finished_at'],
    by: 'skipDownstream, in failStep',
    when: 'a step upstream of it failed',
  },
  {
    operation: 'hand_back',
    from: ['running'],
    to: 'running',
    writes: [],
    by: 'handBackAttempts, reapLostWorkers',
    when: 'its attempt is marked lost and the step enqueued ahead of others, for a claim to take over',
  },
  {
    operation: 'release_unstarted',
    from: ['running'],
    to: 'queued',
    writes: ['attempts', 'current_attempt_id'],
    by: 'releaseUnstartedClaims',
    when: 'a stopping worker gives back a first attempt it never started (the attempt is deleted)',
  },
  {
    operation: 'release_unstarted',
    from: ['running'],
    to: 'retrying',
    writes: ['attempts', 'current_attempt_id'],
    by: 'releaseUnstartedClaims',
    when: 'the same, after an earlier attempt failed',
  },
  {
    operation: 'resume',
    from: UNSUCCESSFUL_STEP_STATUSES,
    to: 'waiting',
    writes: ['error', 'finished_at', 'max_attempts', 'deps_remaining'],
    by: 'resumeRun',
    when: 'the run is resumed: a fresh retry budget',
  },
  {
    operation: 'resume',
    from: ['waiting'],
    to: 'queued',
    writes: ['deps_remaining'],
    by: 'resumeRun',
    when: 'its upstream steps are recounted and none is left to wait for',
  },
] as const satisfies readonly StepTransitionSpec[];

type StepTransitionRow = (typeof STEP_TRANSITIONS)[number];

/** The statuses `O` may move a step to, as a type (e.g. `'canceled'` for `'cancel'`). */
export type TargetOf<O extends StepOperation> = Extract<StepTransitionRow, { operation: O }>['to'];

/** The statuses an operation moves steps from (in lifecycle order), optionally only to `to`. */
export function fromStatesOf(operation: StepOperation, to?: StepStatus): readonly StepStatus[] {
  const from = new Set<StepStatus>();
  for (const row of STEP_TRANSITIONS as readonly StepTransitionSpec[]) {
    if (row.operation !== operation || (to !== undefined && row.to !== to)) continue;
    for (const status of row.from ?? []) from.add(status);
  }
  return STEP_STATUSES.filter((status) => from.has(status));
}

/** The statuses an operation moves or inserts steps in (lifecycle order), optionally from `from`. */
export function toStatesOf(operation: StepOperation, from?: StepStatus): readonly StepStatus[] {
  const to = new Set<StepStatus>();
  for (const row of STEP_TRANSITIONS as readonly StepTransitionSpec[]) {
    if (row.operation !== operation) continue;
    if (from !== undefined && !(row.from ?? []).includes(from)) continue;
    to.add(row.to);
  }
  return STEP_STATUSES.filter((status) => to.has(status));
}

/**
 * The one status `operation` moves a step to (from `from`, when given), e.g. `targetOf('cancel')`
 * is `'canceled'`; throws when the table has none or several (then use `transitionTo`).
 */
export function targetOf<O extends StepOperation>(operation: O, from?: StepStatus): TargetOf<O> {
  const targets = toStatesOf(operation, from);
  if (targets.length !== 1) {
    throw new Error(
      `step operation ${operation}${from === undefined ? '' : ` from ${from}`} has ${targets.length} target statuses (${targets.join(', ')}), not one`,
    );
  }
  return targets[0] as TargetOf<O>;
}

/**
 * `to`, checked against the table (by the compiler, and at run time): for operations whose
 * target depends on data, e.g. `transitionTo('release_unstarted', 'retrying')`.
 */
export function transitionTo<O extends StepOperation, T extends TargetOf<O>>(
  operation: O,
  to: T,
): T {
  if (!toStatesOf(operation).includes(to))
    throw new Error(`step operation ${operation} never moves a step to ${to}`);
  return to;
}

/** Whether the table lets a step move from `from` to `to` (by `operation`, when given). */
export function canTransition(
  from: StepStatus,
  to: StepStatus,
  operation?: StepOperation,
): boolean {
  return (STEP_TRANSITIONS as readonly StepTransitionSpec[]).some(
    (row) =>
      (operation === undefined || row.operation === operation) &&
      row.to === to &&
      (row.from ?? []).includes(from),
  );
}
