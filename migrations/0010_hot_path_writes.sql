-- Fewer writes per step on the hot path (docs/benchmarks.md, "What bounds the chain").
--
-- The latest pointer of a partition is updated in place: without an index on
-- materialization_id (the daemon now reads what changed from materializations by id, their
-- primary key) no indexed column of the row changes, so the update is HOT (no index entries)
-- when its page has room, which the fill factor keeps.
--
-- Foreign keys from the latest pointer and from input edges to materializations go: each check
-- took a KEY SHARE lock on the materialization it points at (a WAL record and a dirtied page of
-- the previous step's row, on every step). Only the engine writes these rows, in the same
-- transaction as the materialization they name or after the one they read was committed, and
-- materializations are never deleted; test/store/referential-integrity.test.ts checks that every
-- edge and pointer the engine writes names a materialization that exists.
drop index strata_internal.latest_materializations_id_idx;
alter table strata_internal.latest_materializations
  drop constraint latest_materializations_materialization_id_fkey,
  set (fillfactor = 70);
alter table strata_internal.materialization_inputs
  drop constraint materialization_inputs_materialization_id_fkey,
  drop constraint materialization_inputs_dep_materialization_id_fkey;
