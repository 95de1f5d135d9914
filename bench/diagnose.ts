// `npx tsx bench/diagnose.ts [chain|throughput] [N]`: where the time of a run goes, for the
// engine's optimizers. Runs a forced materialization (a chain of N assets, or N partitions of
// one asset) on a dedicated embedded server with pg_stat_statements loaded, and prints:
// statements per step and PostgreSQL time per statement (planning and execution), Node's CPU
// profile by package and function, CPU use of Node and PostgreSQL, backend wait states, and the
// write-ahead log by relation.
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/store/index.js';
import { staticPartitions, type AnyAssetDefinition } from '../src/definitions/index.js';
import { ensureEmbeddedServer, stopEmbeddedServer } from '../src/store/embedded-postgres.js';
import { startProfiler } from './support/cpu-profile.js';
import { describeCpu, startCpuMeter } from './support/cpu.js';
import {
  graphOf,
  materializeAll,
  noopAsset,
  removeTempArtifacts,
  tempArtifacts,
} from './support/engine.js';
import { createBenchDatabase, startBenchServer, withClient } from './support/server.js';
import { formatNumber, timed } from './support/stats.js';
import { startWaitSampler } from './support/wait-sampler.js';

const [kind = 'throughput', sizeText] = process.argv.slice(2);
if (kind !== 'chain' && kind !== 'throughput')
  throw new Error('usage: diagnose.ts [chain|throughput] [N]');
const size = Number(sizeText ?? (kind === 'chain' ? 200 : 2_000));
if (process.env.DATABASE_URL)
  throw new Error('diagnose.ts needs the embedded server (unset DATABASE_URL)');

async function currentWalLsn(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{
    lsn: string;
  }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(db);
  return rows[0]!.lsn;
}

/** WAL written between two positions, by the relation of each record's first block. */
async function walByRelation(db: Kysely<Database>, start: string, end: string) {
  const { rows } = await sql<{ relation: string; bytes: number; records: number }>`
    select coalesce(c.relname, 'relfilenode ' || b.relfilenode::text, '(no block: ' || r.resource_manager || ')') || ' ' || r.record_type as relation,
           sum(r.record_length)::float8 as bytes, count(*)::float8 as records
    from pg_get_wal_records_info(${start}::pg_lsn, ${end}::pg_lsn) r
    left join lateral (
      select b.relfilenode from pg_get_wal_block_info(r.start_lsn, r.end_lsn) b where b.block_id = 0 limit 1
    ) b on true
    left join pg_class c on c.relfilenode = b.relfilenode
    group by 1 order by 2 desc`.execute(db);
  return rows;
}

let server = await startBenchServer();
const stateDir = server.stateDir!;
await withClient(server.adminUrl, async (client) => {
  await client.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
  await client.query(`alter system set pg_stat_statements.track_planning = on`);
  // Statements inside functions too (complete_steps), listed apart from the top-level ones.
  await client.query(`alter system set pg_stat_statements.track = 'all'`);
});
// Restart to load the library; the port may change, so take the URL again.
await stopEmbeddedServer(stateDir);
server = { ...server, adminUrl: (await ensureEmbeddedServer(stateDir)).url };
try {
  const database = await createBenchDatabase(server, 'diagnose');
  await sql`create extension if not exists pg_stat_statements`.execute(database.db);
  const assets: AnyAssetDefinition[] = [];
  if (kind === 'chain') {
    for (let i = 1; i <= size; i++) {
      const previous = assets.at(-1);
      assets.push(
        noopAsset(`a${String(i).padStart(4, '0')}`, previous ? { deps: { previous } } : {}),
      );
    }
  } else {
    const keys = Array.from({ length: size }, (_, i) => `p${String(i).padStart(6, '0')}`);
    assets.push(noopAsset('wide', { partitions: staticPartitions(keys) }));
  }
  const graph = graphOf(assets);
  const artifacts = tempArtifacts();
  const concurrency = kind === 'chain' ? 1 : Number(process.env.BENCH_CONCURRENCY ?? 2);
  await materializeAll(database, graph, { concurrency, artifacts }); // warm-up: all missing
  await sql`select pg_stat_statements_reset()`.execute(database.db);
  await sql`create extension if not exists pg_walinspect`.execute(database.db);
  const walStart = await currentWalLsn(database.db);
  const meter = startCpuMeter(stateDir);
  const waits = await startWaitSampler(server, database.name);
  const profiler = await startProfiler();
  const { ms, result } = await timed(() =>
    materializeAll(database, graph, { concurrency, force: true, artifacts }),
  );
  const profile = await profiler.stop(20);
  const walEnd = await currentWalLsn(database.db);
  const waitLine = await waits.stop();
  const cpu = meter();
  const steps = result.summary.steps.length;
  console.log(
    `${kind}: ${steps} steps, concurrency ${concurrency}, ${formatNumber(ms)} ms = ${formatNumber(ms / steps)} ms/step, ${formatNumber((steps / ms) * 1000)} steps/s`,
  );
  console.log(
    `phases: plan ${formatNumber(result.phases.planMs)} ms, createRun ${formatNumber(result.phases.createRunMs)} ms, execute ${formatNumber(result.phases.executeMs)} ms`,
  );
  console.log(describeCpu(cpu, os.availableParallelism()));
  console.log(waitLine);
  for (const line of profile) console.log(line);
  const statements = await sql<{
    query: string;
    calls: number;
    exec_ms: number;
    plan_ms: number;
    rows: number;
    toplevel: boolean;
  }>`
    select regexp_replace(query, '\\s+', ' ', 'g') as query, calls::int, total_exec_time as exec_ms,
           total_plan_time as plan_ms, rows::int, toplevel
    from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database())
      and query not ilike '%pg_stat_activity%' and query not ilike '%pg_stat_statements%'
    order by total_exec_time + total_plan_time desc`.execute(database.db);
  const all = statements.rows.filter((r) => r.toplevel);
  const nested = statements.rows.filter((r) => !r.toplevel);
  const calls = all.reduce((a, r) => a + r.calls, 0);
  const exec = all.reduce((a, r) => a + r.exec_ms, 0);
  const plan = all.reduce((a, r) => a + r.plan_ms, 0);
  console.log(
    `pg_stat_statements: ${formatNumber(calls / steps)} statements/step, PostgreSQL exec ${formatNumber((exec / steps) * 1000)} us/step + planning ${formatNumber((plan / steps) * 1000)} us/step (server-side only; round trips, parse and commit fsync come on top)`,
  );
  const printStatements = (rows: typeof all): void => {
    for (const r of rows) {
      console.log(
        `${(r.calls / steps).toFixed(2).padStart(10)}  ${((r.exec_ms / r.calls) * 1000).toFixed(0).padStart(12)}  ${((r.plan_ms / r.calls) * 1000).toFixed(0).padStart(12)}  ${r.query.slice(0, 150)}`,
      );
    }
  };
  console.log('calls/step  exec us/call  plan us/call  query');
  printStatements(all.slice(0, 25));
  console.log('inside functions (nested statements, included in the calls above):');
  printStatements(nested.slice(0, 15));
  const wal = await walByRelation(database.db, walStart, walEnd);
  const walTotal = wal.reduce((sum, row) => sum + row.bytes, 0);
  console.log(
    `WAL ${formatNumber(walTotal / steps)} bytes/step, by relation and record type (a record counted at its first block; pg_walinspect; 4 bytes/step and more):`,
  );
  for (const r of wal.filter((row) => row.bytes / steps >= 4)) {
    console.log(
      `${(r.bytes / steps).toFixed(0).padStart(8)}  ${(r.records / steps).toFixed(2).padStart(6)} records  ${r.relation}`,
    );
  }
  await database.drop();
} finally {
  await server.stop();
  await removeTempArtifacts();
}
