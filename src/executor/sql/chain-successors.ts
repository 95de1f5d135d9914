// The statement chain fusion reads once per run of fused steps: the steps that follow a step in
// a line (each the only dependant of the one before, and depending on it alone), with what the
// last materialization of each one's asset partition says about its cost (how long it computed,
// whether it called tools or stored artifacts). fuse-chain.ts decides which of them to fuse.
import { sql, type Kysely } from 'kysely';
import type { Database, StepRow } from '../../store/index.js';
import type { OwnLatest } from '../step-inputs.js';

/** A step that follows in a line, and the history of its asset partition. */
export interface ChainSuccessor {
  readonly step: StepRow;
  /** How long its last computed materialization took; null when it has none. */
  readonly lastDurationMs: number | null;
  /** Whether that materialization called tools or stored artifacts. */
  readonly lastCalledTools: boolean;
  readonly lastStoredArtifacts: boolean;
  /** The latest materialization of its asset partition, as the decision reads it. */
  readonly latest: OwnLatest | null;
}

/** Up to `limit` steps following `stepId` in a line, nearest first. */
export async function chainSuccessors(
  db: Kysely<Database>,
  stepId: number,
  limit: number,
): Promise<ChainSuccessor[]> {
  const { rows } = await sql<
    StepRow & {
      depth: number;
      last_duration_ms: number | null;
      last_called_tools: boolean;
      last_stored_artifacts: boolean;
      latest_id: number | null;
      latest_input_hash: string | null;
      latest_code_version: string | null;
      latest_partition_keys: string[] | null;
    }
  >`
    with recursive line(id, depth) as (
      select ${stepId}::bigint, 0
      union all
      select e.downstream_step_id, line.depth + 1
      from line
      join strata_internal.step_edges e on e.upstream_step_id = line.id
      where line.depth < ${limit}
        and (select count(*) from strata_internal.step_edges x where x.upstream_step_id = line.id) = 1
        and (select count(*) from strata_internal.step_edges y where y.downstream_step_id = e.downstream_step_id) = 1
    )
    select s.*, line.depth, l.materialization_id as latest_id, l.input_hash as latest_input_hash,
      l.code_version as latest_code_version, m.partition_keys as latest_partition_keys,
      coalesce(origin.duration_ms, m.duration_ms)::float8 as last_duration_ms,
      exists (select 1 from strata_internal.tool_calls t where t.materialization_id = coalesce(origin.id, m.id)) as last_called_tools,
      exists (select 1 from strata_internal.materialization_artifacts a where a.materialization_id = coalesce(origin.id, m.id)) as last_stored_artifacts
    from line
    join strata_internal.steps s on s.id = line.id
    left join strata_internal.latest_materializations l on l.asset_key = s.asset_key and l.partition_key = s.partition_key
    left join strata_internal.materializations m on m.id = l.materialization_id
    left join strata_internal.materializations origin on origin.id = m.reused_from
    where line.depth > 0
    order by line.depth`.execute(db);
  return rows.map(
    ({
      depth: _depth,
      last_duration_ms,
      last_called_tools,
      last_stored_artifacts,
      latest_id,
      latest_input_hash,
      latest_code_version,
      latest_partition_keys,
      ...step
    }) => ({
      step: step as StepRow,
      lastDurationMs: last_duration_ms,
      lastCalledTools: last_called_tools,
      lastStoredArtifacts: last_stored_artifacts,
      latest:
        latest_id === null
          ? null
          : {
              materializationId: latest_id,
              inputHash: latest_input_hash!,
              codeVersion: latest_code_version!,
              partitionKeys: latest_partition_keys,
            },
    }),
  );
}
