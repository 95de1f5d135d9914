-- The automation daemon keeps statuses in memory between ticks and reads only the latest rows
-- written since its previous tick: by materialization id, which only grows for a partition.
-- Appending to the right edge of this index is the only cost on the write path.
create index latest_materializations_id_idx
  on strata_internal.latest_materializations (materialization_id);
