// The decisions of a claim, apart from the transaction that applies them (as planExpansion is
// apart from its statements): which current attempts of the locked steps are lost and which a
// live worker still runs, which steps this worker lacks the code for, which asset partitions
// another run is computing, how many steps to take, and the events that say why. Pure: tested
// without a database in test/executor/claim-decision.test.ts; claim-steps.ts reads the facts,
// calls these and writes what they decide.
import { formatAssetPartition } from '../graph/index.js';
import type { NewEvent } from '../provenance/index.js';
import { fromStatesOf, type EventData, type StepRow } from '../store/index.js';

/** The status of a step an attempt owns (running, as the lifecycle table says). */
const OWNED_FROM = fromStatesOf('complete');

/** The current attempt of a locked step, with its worker. */
export interface AttemptOwner {
  readonly attemptId: number;
  readonly stepId: number;
  /** The attempt's status. */
  readonly status: string;
  readonly workerId: string;
  /** The worker's status (alive, stopped, lost). */
  readonly workerStatus: string;
  /** The Slurm job the attempt runs as, if any: its liveness is the job's, not the worker's. */
  readonly slurmJobId: string | null;
}

/** The claiming worker, as a claim's decisions need it. */
export interface Claimant {
  readonly workerId: string;
  /** Whether this process runs the attempt now (an attempt of its own it dropped is lost). */
  runs(attemptId: number): boolean;
  /** The code version this worker has for an asset, or undefined when it lacks the asset. */
  codeVersionOf(assetKey: string): string | undefined;
}

/** Steps whose current attempt must be read before a claim: those an attempt may own. */
export function stepsWithOwners(steps: readonly StepRow[]): StepRow[] {
  return steps.filter((s) => OWNED_FROM.includes(s.status) && s.current_attempt_id !== null);
}

/** What a takeover decided. */
export interface TakeoverDecision {
  /** Running attempts whose worker is gone (or that this worker dropped): mark them lost. */
  readonly lost: readonly AttemptOwner[];
  /** One `attempt_lost` event per lost attempt. */
  readonly events: readonly NewEvent<'attempt_lost'>[];
  /** The steps left to claim: all but those a live attempt owns. */
  readonly claimable: readonly StepRow[];
}

/**
 * Decides which running attempts of `steps` are lost: a running attempt's worker is no longer
 * alive, or it is this worker and this process no longer runs it (its job failed on a database
 * error). An attempt running as a Slurm job is never lost this way: the job runs on without the
 * worker that submitted it, and the Slurm trackers end the attempt when the job ends. Steps a
 * live attempt owns are not claimable.
 */
export function decideTakeover(
  steps: readonly StepRow[],
  owners: readonly AttemptOwner[],
  claimant: Claimant,
): TakeoverDecision {
  const abandoned = (o: AttemptOwner): boolean =>
    o.slurmJobId === null &&
    (o.workerStatus !== 'alive' ||
      (o.workerId === claimant.workerId && !claimant.runs(o.attemptId)));
  const running = owners.filter((o) => o.status === 'running');
  const liveOwned = new Set(running.filter((o) => !abandoned(o)).map((o) => o.stepId));
  const lost = running.filter(abandoned);
  const stepOf = new Map(steps.map((s) => [s.id, s]));
  const events = lost.flatMap((owner): NewEvent<'attempt_lost'>[] => {
    const step = stepOf.get(owner.stepId);
    if (step === undefined) return [];
    return [
      {
        runId: step.run_id,
        stepId: step.id,
        attemptId: owner.attemptId,
        assetKey: step.asset_key,
        partitionKey: step.partition_key,
        kind: 'attempt_lost',
        level: 'warn',
        message:
          owner.workerId === claimant.workerId
            ? `attempt abandoned after a database error on ${owner.workerId}`
            : `attempt lost: worker ${owner.workerId} stopped heartbeating`,
      },
    ];
  });
  return { lost, events, claimable: steps.filter((s) => !liveOwned.has(s.id)) };
}

/** A set of steps split in two, with why the set-aside ones wait. */
export interface WaitSplit<K extends 'step_needs_other_code' | 'step_partition_busy'> {
  readonly ready: readonly StepRow[];
  readonly waiting: readonly StepRow[];
  /** What to tell the run's log of each waiting step (once per step: the caller checks). */
  readonly describe: (step: StepRow) => { readonly message: string; readonly data: EventData<K> };
}

/**
 * Sets aside the steps this worker cannot run: its definitions differ from those the run was
 * planned with (an older `strata worker` still running, say); workers that match take them.
 */
export function splitForeign(
  steps: readonly StepRow[],
  claimant: Claimant,
): WaitSplit<'step_needs_other_code'> {
  const foreign = (s: StepRow): boolean => claimant.codeVersionOf(s.asset_key) !== s.code_version;
  return {
    ready: steps.filter((s) => !foreign(s)),
    waiting: steps.filter(foreign),
    describe: (s) => ({
      message: `${formatAssetPartition(s.asset_key, s.partition_key)} waits for a worker with code version ${s.code_version} (worker ${claimant.workerId} has ${claimant.codeVersionOf(s.asset_key) ?? 'no such asset'})`,
      data: { workerId: claimant.workerId },
    }),
  };
}

/** Sets aside the steps whose asset partition another run is computing (`holders`: step -> run). */
export function splitBusy(
  steps: readonly StepRow[],
  holders: ReadonlyMap<number, number>,
): WaitSplit<'step_partition_busy'> {
  return {
    ready: steps.filter((s) => !holders.has(s.id)),
    waiting: steps.filter((s) => holders.has(s.id)),
    describe: (s) => ({
      message: `${formatAssetPartition(s.asset_key, s.partition_key)} waits: run ${holders.get(s.id)} is computing it`,
      data: { runId: holders.get(s.id)! },
    }),
  };
}

/**
 * Of a job's locked steps (in id order), those of runs that still run, and of those the first
 * `claimSize(asset of the first)` to claim now; the rest stay queued for later claims.
 */
export function takeFirstSteps(
  steps: readonly StepRow[],
  runningRuns: ReadonlySet<number>,
  claimSize: (assetKey: string) => number,
): { readonly take: readonly StepRow[]; readonly later: readonly StepRow[] } {
  const open = steps.filter((s) => runningRuns.has(s.run_id));
  if (open.length === 0) return { take: [], later: [] };
  const size = claimSize(open[0]!.asset_key);
  return { take: open.slice(0, size), later: open.slice(size) };
}
