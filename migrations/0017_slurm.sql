-- The Slurm executor (issue 12, src/executor/slurm/): an attempt of an asset declared with
-- executor: slurm({...}) runs as a Slurm batch job. The attempt records the job's id, and what
-- the trackers learn of the job: its last state and reason, where it ran and its accounting
-- (elapsed time, CPU time and the largest resident set where sacct keeps them), and when the job
-- ended. Trackers poll the jobs that have not ended yet (the partial index finds them); the
-- liveness of such an attempt is its job's state, not its submitting worker's heartbeat.
alter table strata_internal.attempts
  add column slurm_job_id text,
  add column slurm_state text,
  add column slurm_reason text,
  add column slurm_nodes text,
  add column slurm_partition text,
  add column slurm_exit_code text,
  add column slurm_elapsed_s double precision,
  add column slurm_cpu_s double precision,
  add column slurm_max_rss_bytes bigint,
  add column slurm_ended_at timestamptz;

create index attempts_slurm_tracked_idx on strata_internal.attempts (id)
where slurm_job_id is not null and slurm_ended_at is null;
