-- Advancing a backfill reads what it launches, not every open target (docs/backfills.md,
-- "Driving"): the pending targets page by page in dependency order, the distinct assets with
-- open targets per state (a skip scan: fan-in reads, assets no longer defined), and the open
-- state of the exact (asset, partition) pairs a page reads (the primary key).
--
-- Pending targets in `ord` order, for keyset pages; launched, done and failed ones leave it.
create index backfill_targets_pending_idx
  on strata_internal.backfill_targets (backfill_id, ord) where state = 'pending';
-- Targets by state and asset: the distinct (state, asset) pairs one descent each, and everything
-- the (backfill_id, state) index served (reconcile, runs in flight, failed lookups, retry), which
-- it replaces as a prefix.
create index backfill_targets_state_asset_idx
  on strata_internal.backfill_targets (backfill_id, state, asset_key);
drop index strata_internal.backfill_targets_state_idx;
