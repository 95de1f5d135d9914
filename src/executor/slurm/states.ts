// The Slurm job states (22.05's squeue/scontrol/sacct names) and what each means for the step
// attempt the job runs, as data: `waiting` (pending, running or coming back: keep polling),
// `ended` (the job finished normally; the caller must still find the step's own completion
// record, never trusting the exit code alone) or `failed` (the attempt failed; the message names
// the state and Slurm's reason).

/** What a job's state means for its attempt. */
export type SlurmOutcome = 'waiting' | 'ended' | 'failed';

/** Every state Slurm 22.05 reports, and its outcome. */
export const SLURM_STATE_OUTCOMES: Readonly<Record<string, SlurmOutcome>> = {
  PENDING: 'waiting',
  CONFIGURING: 'waiting',
  RUNNING: 'waiting',
  COMPLETING: 'waiting',
  SUSPENDED: 'waiting',
  STOPPED: 'waiting',
  REQUEUED: 'waiting',
  REQUEUE_HOLD: 'waiting',
  REQUEUE_FED: 'waiting',
  PREEMPTED: 'waiting',
  RESIZING: 'waiting',
  SIGNALING: 'waiting',
  STAGE_OUT: 'waiting',
  SPECIAL_EXIT: 'waiting',
  RESV_DEL_HOLD: 'waiting',
  COMPLETED: 'ended',
  FAILED: 'failed',
  NODE_FAIL: 'failed',
  TIMEOUT: 'failed',
  OUT_OF_MEMORY: 'failed',
  CANCELLED: 'failed',
  BOOT_FAIL: 'failed',
  DEADLINE: 'failed',
  REVOKED: 'failed',
};

/** squeue's and sacct's short state codes (squeue %t), for output that uses them. */
export const SLURM_STATE_CODES: Readonly<Record<string, string>> = {
  PD: 'PENDING',
  CF: 'CONFIGURING',
  R: 'RUNNING',
  CG: 'COMPLETING',
  S: 'SUSPENDED',
  ST: 'STOPPED',
  RQ: 'REQUEUED',
  RH: 'REQUEUE_HOLD',
  RF: 'REQUEUE_FED',
  PR: 'PREEMPTED',
  RS: 'RESIZING',
  SI: 'SIGNALING',
  SO: 'STAGE_OUT',
  SE: 'SPECIAL_EXIT',
  RD: 'RESV_DEL_HOLD',
  CD: 'COMPLETED',
  F: 'FAILED',
  NF: 'NODE_FAIL',
  TO: 'TIMEOUT',
  OOM: 'OUT_OF_MEMORY',
  CA: 'CANCELLED',
  BF: 'BOOT_FAIL',
  DL: 'DEADLINE',
  RV: 'REVOKED',
};

/**
 * The canonical name of a state as any command prints it: sacct's `CANCELLED by 1000`, a
 * truncated `CANCELLED+`, a short code (`CD`), in any case.
 */
export function normalizeSlurmState(text: string): string {
  const word = text.trim().split(/\s+/)[0]!.replace(/\+$/, '').toUpperCase();
  return SLURM_STATE_CODES[word] ?? word;
}

/**
 * The outcome of a state. A state this table does not know (a newer Slurm's) counts as waiting:
 * a job that really ended leaves the controller after MinJobAge and is then reported unknown,
 * which fails its attempt, so nothing waits forever on it.
 */
export function slurmOutcome(state: string): SlurmOutcome {
  return SLURM_STATE_OUTCOMES[normalizeSlurmState(state)] ?? 'waiting';
}
