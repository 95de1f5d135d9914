// The one statement of the completion hot path: `strata_internal.complete_steps(request)`
// (migrations/0016) records the outcomes of a batch of steps, releases and adopts dependants and
// settles the run in one round trip and one commit. This file builds its request and reads its
// answer; complete-steps.ts decides when it applies.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { MaterializationRecord, NewEvent } from '../../provenance/index.js';
import type { FusedLog } from '../completion-decision.js';
import { stepOfPendingMaterialization } from '../pending-materialization.js';
import {
  ACTIVE_ATTEMPT_STATUSES,
  attemptTargetOf,
  fromStatesOf,
  RUN_FAILING_STEP_STATUSES,
  targetOf,
  type Database,
  type StepsTable,
} from '../../store/index.js';
import {
  JOB_MAX_ATTEMPTS,
  JOBS_PER_CONCURRENCY_SLOT,
  MAX_STEPS_PER_JOB,
  POOL_RETRY_MS,
  RUN_CHANNEL,
  STEP_TASK,
} from '../constants.js';

/** The lifecycle table's statuses the function uses (it spells none of its own). */
const STATES = {
  complete_from: fromStatesOf('complete'),
  completed_attempt: attemptTargetOf('complete'),
  release_from: fromStatesOf('release'),
  release_to: targetOf('release'),
  adopt_to: targetOf('adopt'),
  fuse_from: fromStatesOf('fuse'),
  fuse_to: targetOf('fuse'),
  claimed_attempt: attemptTargetOf('claim', null),
  active_attempt: ACTIVE_ATTEMPT_STATUSES,
  run_failing: RUN_FAILING_STEP_STATUSES,
};

/** SQLSTATE the function raises when a step it was to complete was taken over meanwhile. */
export const TAKEN_OVER_STATE = 'SX001';

/** One step's outcome as the function takes it. */
export interface OneCallOutcome {
  readonly stepId: number;
  /** null for a fused step: the function draws its attempt. */
  readonly attemptId: number | null;
  /** For a fused step: the step of this request it was computed after. */
  readonly fusedAfter: number | null;
  /** For a fused step: the log lines its compute wrote. */
  readonly logs: readonly FusedLog[];
  readonly status: 'succeeded' | 'reused' | 'fresh';
  readonly inputHash: string;
  /** For an early cutoff: the materialization the step ends with. */
  readonly materializationId: number | null;
  /** For a computed or reused value: what to record (no artifacts, no produced partitions). */
  readonly record: MaterializationRecord | null;
  /** The step's event; its data gets `materializationId` from the function. */
  readonly event: NewEvent;
  readonly toolCalls: boolean;
  readonly pooled: boolean;
}

/** What the caller asks besides the outcomes. */
export interface OneCallRequest {
  readonly runId: number;
  readonly workerId: string;
  readonly jobId: string | null;
  readonly concurrency: number;
  /** Claim released dependants for this worker (false when it is stopping). */
  readonly adopt: boolean;
  /** How many steps of an asset to adopt, for the assets this worker knows (else one). */
  readonly claimSizes: Readonly<Record<string, number>>;
  readonly outcomes: readonly OneCallOutcome[];
}

/** A dependant the function claimed for this worker: its step row and attempt. */
export interface AdoptedRow {
  readonly step: Selectable<StepsTable>;
  readonly attemptId: number;
  readonly attemptNumber: number;
}

type AdoptedJson = Omit<Selectable<StepsTable>, 'created_at' | 'started_at' | 'finished_at'> & {
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  attempt_id: number;
  attempt_number: number;
};

function recordJson(record: MaterializationRecord) {
  return {
    asset_key: record.assetKey,
    partition_key: record.partitionKey,
    code_version: record.codeVersion,
    data_version: record.dataVersion,
    input_hash: record.inputHash,
    ...(record.value === undefined ? {} : { value: record.value }),
    value_artifact: record.valueArtifact,
    value_size: record.valueSize,
    metadata: record.metadata,
    reused_from: record.reusedFrom,
    started_at: record.startedAt?.toISOString() ?? null,
    finished_at: record.finishedAt.toISOString(),
    host: record.host,
    git_commit: record.gitCommit,
    inputs: record.inputs.map((input) => {
      // An input recorded by the same request is named by its step (chain fusion).
      const pendingStep = stepOfPendingMaterialization(input.materializationId);
      return {
        input_name: input.inputName,
        dep_asset_key: input.depKey,
        dep_partition_key: input.depPartition,
        dep_materialization_id: pendingStep === undefined ? input.materializationId : null,
        dep_step_id: pendingStep ?? null,
        dep_data_version: input.dataVersion,
      };
    }),
  };
}

/** Calls the function; returns the dependants it claimed for this worker. */
export async function completeStepsInOneCall(
  db: Kysely<Database>,
  request: OneCallRequest,
): Promise<AdoptedRow[]> {
  const body = {
    run_id: request.runId,
    worker_id: request.workerId,
    job_id: request.jobId,
    concurrency: request.concurrency,
    adopt: request.adopt,
    claim_sizes: request.claimSizes,
    channel: RUN_CHANNEL,
    states: STATES,
    queue: {
      task: STEP_TASK,
      max_attempts: JOB_MAX_ATTEMPTS,
      max_steps_per_job: MAX_STEPS_PER_JOB,
      jobs_per_slot: JOBS_PER_CONCURRENCY_SLOT,
      busy_retry_ms: POOL_RETRY_MS,
    },
    outcomes: request.outcomes.map((o) => ({
      step_id: o.stepId,
      attempt_id: o.attemptId,
      status: o.status,
      input_hash: o.inputHash,
      materialization_id: o.materializationId,
      record: o.record ? recordJson(o.record) : null,
      event: {
        asset_key: o.event.assetKey,
        partition_key: o.event.partitionKey,
        kind: o.event.kind,
        message: o.event.message,
        data: o.event.data ?? null,
      },
      tool_calls: o.toolCalls,
      pooled: o.pooled,
      ...(o.fusedAfter === null ? {} : { fused_after: o.fusedAfter, logs: o.logs }),
    })),
  };
  const result = await sql<{
    result: { adopted: AdoptedJson[] };
  }>`select strata_internal.complete_steps(${JSON.stringify(body)}::jsonb) as result`.execute(db);
  return result.rows[0]!.result.adopted.map(
    ({ attempt_id, attempt_number, created_at, started_at, finished_at, ...step }) => ({
      step: {
        ...step,
        created_at: new Date(created_at),
        started_at: started_at === null ? null : new Date(started_at),
        finished_at: finished_at === null ? null : new Date(finished_at),
      },
      attemptId: attempt_id,
      attemptNumber: attempt_number,
    }),
  );
}
