// The Slurm job an attempt ran as (an asset with `executor: slurm(...)`), as provenance and the
// run page show it: the job's id, where it ran, its last state and its accounting, as the
// trackers recorded them on the attempt (migrations/0017_slurm.sql). Null for attempts computed
// in a worker's own process.
import type { Selectable } from 'kysely';
import type { AttemptsTable } from '../store/index.js';

/** The Slurm job of an attempt, and its accounting as the trackers last saw it. */
export interface ProvenanceSlurmJob {
  readonly jobId: string;
  /** The last state seen (COMPLETED once the job ended). */
  readonly state: string | null;
  readonly nodes: string | null;
  readonly partition: string | null;
  readonly elapsedSeconds: number | null;
  /** CPU time and largest resident set: only where the cluster keeps accounting (sacct). */
  readonly cpuSeconds: number | null;
  readonly maxRssBytes: number | null;
}

/** The attempt columns a ProvenanceSlurmJob is read from. */
export const SLURM_JOB_COLUMNS = [
  'slurm_job_id',
  'slurm_state',
  'slurm_nodes',
  'slurm_partition',
  'slurm_elapsed_s',
  'slurm_cpu_s',
  'slurm_max_rss_bytes',
] as const;

type SlurmJobColumns = {
  readonly [C in (typeof SLURM_JOB_COLUMNS)[number]]: Selectable<AttemptsTable>[C] | null;
};

/** The Slurm job of an attempt row; null when the attempt ran in a worker (or none is joined). */
export function slurmJobOf(row: SlurmJobColumns): ProvenanceSlurmJob | null {
  if (row.slurm_job_id === null) return null;
  return {
    jobId: row.slurm_job_id,
    state: row.slurm_state,
    nodes: row.slurm_nodes,
    partition: row.slurm_partition,
    elapsedSeconds: row.slurm_elapsed_s,
    cpuSeconds: row.slurm_cpu_s,
    maxRssBytes: row.slurm_max_rss_bytes === null ? null : Number(row.slurm_max_rss_bytes),
  };
}
