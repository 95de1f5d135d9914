// The lifecycle of steps, declared once as data: every status with what it means, and the named
// sets writers filter by; the legal transitions are in step-transitions-table.ts (attempts:
// attempt-states.ts). It lives in store/, beside the row types, so the executor, the planner and
// the server read the same sets.
import type { StepStatus } from './schema.js';

/** What a step status means to the engine. */
export interface StepStateSpec {
  /** The step never runs again in its run (unless the run is resumed). */
  readonly terminal: boolean;
  /** Terminal, and its dependants may proceed (it has a materialization for them to read). */
  readonly done: boolean;
  /** An attempt owns the step (`current_attempt_id`); only that attempt may end it. */
  readonly owned: boolean;
  /** A job may claim it: it is ready, or its attempt may be lost and taken over. */
  readonly claimable: boolean;
  /** A run that ends with a step in this status ends failed (skipped steps alone do not). */
  readonly failsRun: boolean;
  /** In words, for the docs and the diagram's readers. */
  readonly meaning: string;
}

/** Every step status, in lifecycle order. */
export const STEP_STATES = {
  waiting: {
    terminal: false,
    done: false,
    owned: false,
    claimable: false,
    failsRun: false,
    meaning: 'waits for upstream steps (deps_remaining > 0); no job holds it',
  },
  queued: {
    terminal: false,
    done: false,
    owned: false,
    claimable: true,
    failsRun: false,
    meaning: 'nothing left to wait for; a job will claim it',
  },
  running: {
    terminal: false,
    done: false,
    owned: true,
    claimable: true,
    failsRun: false,
    meaning: 'an attempt owns it; a claim takes it over when that attempt is lost',
  },
  retrying: {
    terminal: false,
    done: false,
    owned: false,
    claimable: true,
    failsRun: false,
    meaning: 'an attempt failed; a delayed job will claim the next one',
  },
  succeeded: {
    terminal: true,
    done: true,
    owned: false,
    claimable: false,
    failsRun: false,
    meaning: 'computed and recorded a materialization',
  },
  reused: {
    terminal: true,
    done: true,
    owned: false,
    claimable: false,
    failsRun: false,
    meaning: 'recorded a copy of a materialization with identical inputs and code',
  },
  fresh: {
    terminal: true,
    done: true,
    owned: false,
    claimable: false,
    failsRun: false,
    meaning: 'its latest materialization was up to date with its inputs (early cutoff)',
  },
  failed: {
    terminal: true,
    done: false,
    owned: false,
    claimable: false,
    failsRun: true,
    meaning: 'its last attempt failed or timed out; everything downstream is skipped',
  },
  skipped: {
    terminal: true,
    done: false,
    owned: false,
    claimable: false,
    failsRun: false,
    meaning: 'will not run: an upstream step failed, or its partition is no longer produced',
  },
  canceled: {
    terminal: true,
    done: false,
    owned: false,
    claimable: false,
    failsRun: true,
    meaning: 'the run was cancelled before it started or while it ran',
  },
} as const satisfies Record<StepStatus, StepStateSpec>;

/** Every step status, in lifecycle order. */
export const STEP_STATUSES = Object.freeze(Object.keys(STEP_STATES) as StepStatus[]);

function statusesWhere(test: (spec: StepStateSpec) => boolean): readonly StepStatus[] {
  return Object.freeze(STEP_STATUSES.filter((status) => test(STEP_STATES[status])));
}

/** Step states after which a step never runs again in its run. */
export const TERMINAL_STEP_STATUSES = statusesWhere((s) => s.terminal);
/** Terminal states that let dependants proceed. */
export const DONE_STEP_STATUSES = statusesWhere((s) => s.done);
/** Terminal states that do not: failed, skipped, cancelled (what a resume restarts). */
export const UNSUCCESSFUL_STEP_STATUSES = statusesWhere((s) => s.terminal && !s.done);
/** States a step of a running run is still to leave: the run's `pending_steps` counts them. */
export const NON_TERMINAL_STEP_STATUSES = statusesWhere((s) => !s.terminal);
/**
 * Not terminal and not owned by an attempt: waiting, queued, retrying. Cancelling a run and
 * skipping downstream of a failure end exactly these (a running step ends with its attempt).
 */
export const PENDING_STEP_STATUSES = statusesWhere((s) => !s.terminal && !s.owned);
/** States a job may claim: queued, retrying, and running (to take over a lost attempt). */
export const CLAIMABLE_STEP_STATUSES = statusesWhere((s) => s.claimable);
/**
 * Ended statuses that fail their run: failed and cancelled. Skipped steps alone do not: they are
 * downstream of a failed step (which fails it) or partitions their producer no longer produces.
 */
export const RUN_FAILING_STEP_STATUSES = statusesWhere((s) => s.failsRun);
/** Claimable without a takeover: queued or retrying, each with a job (due or delayed) for it. */
export const READY_STEP_STATUSES = statusesWhere((s) => s.claimable && !s.owned);
