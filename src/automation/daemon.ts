// The automation daemon: every interval, if it holds the automation lock, it evaluates every
// automated asset in set-based queries (statuses, live activity, backoff), launches one run for
// what needs a rebuild (trigger 'automation', with the reasons), and records the tick. Ticks of
// one daemon never overlap; only the lock holder acts, so two daemons never launch twice. Each
// tick also advances every running backfill (docs/backfills.md).
import { hostName } from '../util/host-name.js';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { AssetKey } from '../definitions/index.js';
import {
  observedEntries,
  type Engine,
  type LaunchRequest,
  type ObservationOutcome,
} from '../executor/index.js';
import { loadPartitionActivity, StatusCache } from '../planner/index.js';
import type { ObservedEntry, TickEntry } from '../store/index.js';
import { advanceRunningBackfills, type BackfillLauncher } from '../backfills/index.js';
import { partitionId, type BackoffState } from './backoff.js';
import { loadBuildTimes } from './build-times.js';
import { loadCronLaunches, recordCronLaunches } from './cron-launches.js';
import { freshnessLookaheadMs } from './freshness-rule.js';
import { groupByAsset, selectionText, splitRuns } from './launch-runs.js';
import { Leadership } from './leadership.js';
import { selectCandidates } from './select-candidates.js';
import { closeAbandonedTicks, finishTick, startTick, type TickRecord } from './tick-log.js';

/** Ticks every 30 s unless told otherwise: freshness policies are minutes to days. */
export const DEFAULT_TICK_INTERVAL_MS = 30_000;

/** What the daemon launches runs with (the executor's RunLauncher). */
export interface RunStarter {
  launch(request: LaunchRequest): Promise<{ runId: number | null }>;
  /** Observes the source assets due for an observation. */
  observe(request: { onlyDue: boolean; now: () => Date }): Promise<ObservationOutcome[]>;
  /** With it, each tick also advances every running backfill (docs/backfills.md). */
  launchWith?: BackfillLauncher['launchWith'];
}

/**
 * What the daemon reads of its engine: the database (it keeps one connection of its pg pool for
 * the automation lock while it acts) and the graph. Any Engine will do.
 */
export type DaemonEngine = Pick<Engine, 'database' | 'graph'>;

/** How the daemon runs, besides its engine. */
export interface DaemonOptions {
  readonly launcher: RunStarter;
  /** Time between the starts of two ticks (default 30 s). */
  readonly intervalMs?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
  /** Told about every tick that did something, and about failed ticks. */
  readonly onTick?: (result: ActedTick) => void;
}

/** The result of one tick: standing by, or what it did. */
export type TickResult =
  { readonly status: 'standby' } | (TickRecord & { readonly tickId: number });

/** A tick that acted (this daemon held the lock). */
export type ActedTick = Exclude<TickResult, { status: 'standby' }>;

/** The automation daemon of one process. */
export class AutomationDaemon {
  readonly id = `${hostName()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly #engine: DaemonEngine;
  readonly #options: DaemonOptions;
  readonly #leadership: Leadership;
  readonly #now: () => Date;
  readonly #intervalMs: number;
  #tick: Promise<TickResult> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #wasLeader = false;
  /** Statuses of the automated assets and their upstream, kept current tick by tick. */
  readonly #statuses: StatusCache;

  constructor(engine: DaemonEngine, options: DaemonOptions) {
    this.#engine = engine;
    this.#options = options;
    this.#leadership = new Leadership(engine.database.pool);
    this.#now = options.now ?? (() => new Date());
    this.#intervalMs = options.intervalMs ?? DEFAULT_TICK_INTERVAL_MS;
    const { graph } = engine;
    this.#statuses = new StatusCache(
      graph,
      graph.order.filter((key) => graph.node(key).definition.automation),
    );
  }

  /** Whether this daemon holds the automation lock. */
  get isLeader(): boolean {
    return this.#leadership.isLeader;
  }

  /** Ticks now and then every interval until stop(). */
  start(): void {
    const loop = async (): Promise<void> => {
      const started = Date.now();
      await this.tick().catch(() => undefined); // recorded as a failed tick; keep going
      if (this.#stopped) return;
      const wait = Math.max(0, this.#intervalMs - (Date.now() - started));
      this.#timer = setTimeout(() => void loop(), wait);
    };
    void loop();
  }

  /** One tick; while one is in progress, the same tick (never two at once). */
  tick(): Promise<TickResult> {
    this.#tick ??= this.#runTick().finally(() => (this.#tick = undefined));
    return this.#tick;
  }

  /** Stops ticking, waits for a tick in progress and gives up the lock. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#tick?.catch(() => undefined);
    await this.#leadership.release();
  }

  async #runTick(): Promise<TickResult> {
    const { graph } = this.#engine;
    const { db } = this.#engine.database;
    if (this.#stopped || !(await this.#leadership.ensure())) return { status: 'standby' };
    if (!this.#wasLeader) {
      this.#wasLeader = true;
      await closeAbandonedTicks(db, this.id);
    }
    const startedAt = this.#now();
    const tickId = await startTick(db, this.id, hostName(), startedAt);
    const automated = graph.order.filter(
      (key) => graph.node(key).definition.automation !== undefined,
    );
    let result: ActedTick;
    let observed: ObservedEntry[] = [];
    try {
      // Sources first, so a new version is acted on in the same tick.
      observed = observedEntries(
        await this.#options.launcher.observe({ onlyDue: true, now: this.#now }),
      );
      result = await this.#evaluateAndLaunch(tickId, automated);
      await this.#advanceBackfills();
    } catch (error) {
      this.#statuses.reset(); // it may have been left half updated
      result = {
        status: 'failed',
        tickId,
        evaluatedAssets: automated.length,
        evaluatedPartitions: 0,
        runId: null,
        launched: [],
        held: [],
        error: error instanceof Error ? error.message : String(error),
      };
    }
    result = { ...result, observed };
    await finishTick(db, tickId, { ...result, finishedAt: this.#now() });
    const changed = observed.some((entry) => entry.outcome !== 'unchanged');
    if (
      result.status === 'failed' ||
      result.launched.length > 0 ||
      result.held.length > 0 ||
      changed
    ) {
      this.#options.onTick?.(result);
    }
    return result;
  }

  async #evaluateAndLaunch(tickId: number, automated: readonly AssetKey[]): Promise<ActedTick> {
    const { graph } = this.#engine;
    const { db } = this.#engine.database;
    const { launcher } = this.#options;
    const empty = { status: 'succeeded' as const, tickId, runId: null, launched: [], held: [] };
    if (automated.length === 0) return { ...empty, evaluatedAssets: 0, evaluatedPartitions: 0 };
    const now = this.#now();
    const ofKind = (kind: string) =>
      automated.filter((key) => graph.node(key).definition.automation?.kind === kind);
    const freshnessKeys = ofKind('freshness');
    // Freshness requirements reach upstream assets of any policy or none: their activity and
    // backoff count too.
    const evaluated = graph.sortTopologically(
      new Set([...automated, ...graph.withUpstream(freshnessKeys)]),
    );
    const [{ report }, activity, backoff, cronLaunches, buildTimes] = await Promise.all([
      this.#statuses.refresh(db, now),
      loadPartitionActivity(db, evaluated),
      this.#loadBackoff(evaluated),
      loadCronLaunches(db, ofKind('on-cron')),
      loadBuildTimes(db, freshnessKeys),
    ]);
    const selection = selectCandidates({
      report,
      automated,
      activity,
      backoff,
      cronLaunches,
      lookaheadMs: (key) => freshnessLookaheadMs(this.#intervalMs, buildTimes.get(key) ?? 0),
      now,
    });
    const launched: TickEntry[] = [];
    let runId: number | null = null;
    const runs = splitRuns(selection.launch, graph);
    for (const [items, force] of [
      [runs.normal, false],
      [runs.forced, true],
    ] as const) {
      if (items.length === 0) continue;
      const entries = groupByAsset(items);
      const started = await launcher.launch({
        selection: selectionText(items, report),
        trigger: 'automation',
        launchedBy: `daemon ${this.id}`,
        observe: false, // this tick observed the sources already
        report, // and evaluated the statuses the plan needs
        reason: entries.map((entry) => `${entry.key}: ${entry.rule}: ${entry.reason}`).join('; '),
        ...(force ? { force } : {}),
      });
      // The tick records one run: the entries of a second one name theirs.
      const second = runId !== null && started.runId !== null;
      launched.push(
        ...(second
          ? entries.map((e) => ({ ...e, reason: `${e.reason} (forced run ${started.runId})` }))
          : entries),
      );
      runId ??= started.runId;
      if (started.runId !== null) await recordCronLaunches(db, items, started.runId, now);
    }
    await this.#storeBackoff(evaluated, selection.backoff, activity, runId);
    return {
      ...empty,
      evaluatedAssets: automated.length,
      evaluatedPartitions: selection.evaluated,
      runId,
      launched,
      held: groupByAsset(selection.held),
    };
  }

  /** Advances every running backfill once, when the launcher can launch them. */
  async #advanceBackfills(): Promise<void> {
    const { launchWith } = this.#options.launcher;
    if (launchWith === undefined) return;
    const launcher = { launchWith: launchWith.bind(this.#options.launcher) };
    await advanceRunningBackfills(this.#engine, launcher, `daemon ${this.id}`);
  }

  async #loadBackoff(keys: readonly AssetKey[]): Promise<Map<string, BackoffState>> {
    const rows = await this.#engine.database.db
      .selectFrom('strata_internal.automation_backoff')
      .selectAll()
      .where('asset_key', 'in', [...keys])
      .execute();
    return new Map(
      rows.map((row) => [
        partitionId(row.asset_key as AssetKey, row.partition_key),
        { failures: row.failures, retryAfter: row.retry_after },
      ]),
    );
  }

  /** Writes changed backoff states and drops those of partitions that no longer fail. */
  async #storeBackoff(
    keys: readonly AssetKey[],
    changes: ReadonlyMap<string, { key: AssetKey; partition: string; state: BackoffState }>,
    activity: Awaited<ReturnType<typeof loadPartitionActivity>>,
    runId: number | null,
  ): Promise<void> {
    await this.#engine.database.db.transaction().execute(async (trx) => {
      const failingKeys: string[] = [];
      const failingPartitions: string[] = [];
      for (const key of keys) {
        for (const [partition, flags] of activity.get(key) ?? []) {
          if (!flags.failed) continue;
          failingKeys.push(key);
          failingPartitions.push(partition);
        }
      }
      await trx
        .deleteFrom('strata_internal.automation_backoff as b')
        .where('b.asset_key', 'in', [...keys])
        .where(
          sql<boolean>`not exists (
            select 1 from unnest(${failingKeys}::text[], ${failingPartitions}::text[]) f(k, p)
            where f.k = b.asset_key and f.p = b.partition_key)`,
        )
        .execute();
      if (changes.size === 0) return;
      await trx
        .insertInto('strata_internal.automation_backoff')
        .values(
          [...changes.values()].map(({ key, partition, state }) => ({
            asset_key: key,
            partition_key: partition,
            failures: state.failures,
            retry_after: state.retryAfter,
            last_run_id: runId,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['asset_key', 'partition_key']).doUpdateSet((eb) => ({
            failures: eb.ref('excluded.failures'),
            retry_after: eb.ref('excluded.retry_after'),
            last_run_id: eb.ref('excluded.last_run_id'),
          })),
        )
        .execute();
    });
  }
}
