// The lifecycle of attempts, declared as data beside that of steps (step-states.ts): every
// attempt status, and the legal transitions with the step operation that performs each. An
// attempt is one try at a step by one worker; the step row, not the attempt, holds ownership.
import type { AttemptStatus } from './schema.js';
import type { StepOperation } from './step-transitions-table.js';

/** What an attempt status means. */
export interface AttemptStateSpec {
  /** The attempt has ended; its worker runs it no more. */
  readonly terminal: boolean;
  /**
   * It ended by the asset's own fault and counts against its retry policy's maxAttempts; an
   * attempt strata broke off (lost, handed back) or a cancellation spends nothing.
   */
  readonly spendsRetry: boolean;
  readonly meaning: string;
}

/** Every attempt status. */
export const ATTEMPT_STATES = {
  running: {
    terminal: false,
    spendsRetry: false,
    meaning: 'its worker computes the step, or is about to',
  },
  succeeded: { terminal: true, spendsRetry: false, meaning: 'its outcome was recorded' },
  failed: {
    terminal: true,
    spendsRetry: true,
    meaning: 'the compute function (or loading its inputs) failed',
  },
  timed_out: {
    terminal: true,
    spendsRetry: true,
    meaning: 'it exceeded the asset timeout and was aborted',
  },
  lost: {
    terminal: true,
    spendsRetry: false,
    meaning: 'its worker stopped heartbeating or abandoned it; the step is taken over',
  },
  canceled: {
    terminal: true,
    spendsRetry: false,
    meaning: 'aborted because its run was cancelled',
  },
} as const satisfies Record<AttemptStatus, AttemptStateSpec>;

/** Every attempt status. */
export const ATTEMPT_STATUSES = Object.freeze(Object.keys(ATTEMPT_STATES) as AttemptStatus[]);
/** Attempts that have ended. */
export const TERMINAL_ATTEMPT_STATUSES = Object.freeze(
  ATTEMPT_STATUSES.filter((status) => ATTEMPT_STATES[status].terminal),
);
/** Attempts still under way: what holds a pool slot or a partition. */
export const ACTIVE_ATTEMPT_STATUSES = Object.freeze(
  ATTEMPT_STATUSES.filter((status) => !ATTEMPT_STATES[status].terminal),
);

/** Attempts that count against the asset's retry policy (its own failures). */
export const RETRY_SPENDING_ATTEMPT_STATUSES = Object.freeze(
  ATTEMPT_STATUSES.filter((status) => ATTEMPT_STATES[status].spendsRetry),
);

/** The operations that change an attempt's status (a subset of the step operations). */
export type AttemptOperation = Extract<
  StepOperation,
  'claim' | 'complete' | 'retry' | 'fail' | 'cancel_attempt' | 'hand_back' | 'release_unstarted'
>;

/** One row of the attempt transition table. */
export interface AttemptTransitionSpec {
  readonly operation: AttemptOperation;
  /** null: the attempt is inserted in `to`. */
  readonly from: readonly AttemptStatus[] | null;
  /** null: the attempt row is deleted (it never began, so there is nothing to record). */
  readonly to: AttemptStatus | null;
  readonly when: string;
}

/**
 * The legal attempt transitions. An attempt marked lost can still end: its worker may come back
 * (a long pause) and finish before any other claims the step. Ownership is the step's (status
 * running and `current_attempt_id`), so that outcome stands and corrects the attempt's `lost`.
 */
export const ATTEMPT_TRANSITIONS = [
  { operation: 'claim', from: null, to: 'running', when: 'a worker claims the step' },
  {
    operation: 'claim',
    from: ['running'],
    to: 'lost',
    when: 'a claim takes the step over from a worker that is not alive',
  },
  {
    operation: 'complete',
    from: ['running', 'lost'],
    to: 'succeeded',
    when: 'the step completed',
  },
  {
    operation: 'retry',
    from: ['running', 'lost'],
    to: 'failed',
    when: 'it failed and the step will retry',
  },
  {
    operation: 'retry',
    from: ['running', 'lost'],
    to: 'timed_out',
    when: 'it timed out and the step will retry',
  },
  { operation: 'fail', from: ['running', 'lost'], to: 'failed', when: 'it failed for good' },
  {
    operation: 'fail',
    from: ['running', 'lost'],
    to: 'timed_out',
    when: 'it timed out for good',
  },
  {
    operation: 'cancel_attempt',
    from: ['running', 'lost'],
    to: 'canceled',
    when: 'its run was cancelled',
  },
  {
    operation: 'hand_back',
    from: ['running'],
    to: 'lost',
    when: 'its worker is declared lost, or abandons or is interrupted in it',
  },
  {
    operation: 'release_unstarted',
    from: ['running'],
    to: null,
    when: 'a stopping worker never started it',
  },
] as const satisfies readonly AttemptTransitionSpec[];

/** The attempt statuses an operation moves attempts from. */
export function attemptFromStatesOf(operation: AttemptOperation): readonly AttemptStatus[] {
  const from = new Set<AttemptStatus>();
  for (const row of ATTEMPT_TRANSITIONS as readonly AttemptTransitionSpec[])
    if (row.operation === operation) for (const status of row.from ?? []) from.add(status);
  return ATTEMPT_STATUSES.filter((status) => from.has(status));
}

/**
 * The one attempt status `operation` moves an attempt to: from `from`, from any status when
 * omitted, or on insert when `from` is null (`attemptTargetOf('claim', null)` is `'running'`);
 * throws when the table has none or several, or deletes the attempt.
 */
export function attemptTargetOf(
  operation: AttemptOperation,
  from?: AttemptStatus | null,
): AttemptStatus {
  const targets = new Set<AttemptStatus | null>();
  for (const row of ATTEMPT_TRANSITIONS as readonly AttemptTransitionSpec[]) {
    if (row.operation !== operation) continue;
    if (from === null ? row.from !== null : from !== undefined && !row.from?.includes(from))
      continue;
    targets.add(row.to);
  }
  const [target] = targets;
  if (targets.size !== 1 || target === null || target === undefined)
    throw new Error(
      `attempt operation ${operation}${from === undefined ? '' : ` from ${from ?? 'insert'}`} has no single target status`,
    );
  return target;
}

/** Whether the table lets an attempt move from `from` to `to` (null: deleted). */
export function canAttemptTransition(
  from: AttemptStatus,
  to: AttemptStatus | null,
  operation?: AttemptOperation,
): boolean {
  return (ATTEMPT_TRANSITIONS as readonly AttemptTransitionSpec[]).some(
    (row) =>
      (operation === undefined || row.operation === operation) &&
      row.to === to &&
      (row.from ?? []).includes(from),
  );
}
