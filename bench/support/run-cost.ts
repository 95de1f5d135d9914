// What a measured interval costs besides wall time: CPU of Node (this process) and of PostgreSQL
// (every server process, from /proc), write-ahead log written, statements sent (round trips)
// and transaction ids assigned (write transactions). WAL and transaction ids are server-wide:
// nothing else may run on the benchmark server during the interval.
import pg from 'pg';
import { startCpuMeter } from './cpu.js';
import type { BenchServer } from './server.js';
import { startStatementCounter } from './statement-counter.js';
import { formatNumber, summarize, timed } from './stats.js';

/** Totals of one interval. */
export interface RunCost {
  readonly wallMs: number;
  readonly nodeCpuMs: number;
  /** undefined when the server's processes cannot be read (DATABASE_URL, not Linux). */
  readonly postgresCpuMs: number | undefined;
  readonly walBytes: number;
  /** Queries sent by this process (pg Client.query calls), each one round trip. */
  readonly statements: number;
  /** Transaction ids assigned on the server: transactions that wrote. */
  readonly writeTransactions: number;
}

interface ServerPosition {
  lsn: string;
  next_xid: string;
}

/** The server's WAL insert position and next transaction id; read-only, assigns no id. */
const POSITION_SQL = `select pg_current_wal_lsn()::text as lsn,
  pg_snapshot_xmax(pg_current_snapshot())::text as next_xid`;

/** Runs `fn` and measures its wall time and its RunCost. */
export async function withRunCost<T>(
  server: BenchServer,
  fn: () => Promise<T>,
): Promise<{ ms: number; result: T; cost: RunCost }> {
  const client = new pg.Client({
    connectionString: server.adminUrl,
    application_name: 'strata-bench-cost',
  });
  client.on('error', () => {});
  await client.connect();
  try {
    const before = (await client.query<ServerPosition>(POSITION_SQL)).rows[0]!;
    const stopCounting = startStatementCounter();
    let statements: number | undefined;
    try {
      const stopCpu = startCpuMeter(server.stateDir);
      const { ms, result } = await timed(fn);
      const cpu = stopCpu();
      statements = stopCounting();
      const after = (await client.query<ServerPosition>(POSITION_SQL)).rows[0]!;
      const wal = await client.query<{ bytes: number }>(
        'select pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::float8 as bytes',
        [after.lsn, before.lsn],
      );
      const cost: RunCost = {
        wallMs: ms,
        nodeCpuMs: cpu.nodeMs,
        postgresCpuMs: cpu.postgresMs,
        walBytes: wal.rows[0]!.bytes,
        statements,
        writeTransactions: Number(after.next_xid) - Number(before.next_xid),
      };
      return { ms, result, cost };
    } finally {
      if (statements === undefined) stopCounting();
    }
  } finally {
    await client.end();
  }
}

/** The median of each field over several intervals (at least one). */
export function medianCost(costs: readonly RunCost[]): RunCost {
  const median = (values: number[]): number => summarize(values).median;
  const postgres = costs.map((c) => c.postgresCpuMs);
  return {
    wallMs: median(costs.map((c) => c.wallMs)),
    nodeCpuMs: median(costs.map((c) => c.nodeCpuMs)),
    postgresCpuMs: postgres.every((ms) => ms !== undefined) ? median(postgres) : undefined,
    walBytes: median(costs.map((c) => c.walBytes)),
    statements: median(costs.map((c) => c.statements)),
    writeTransactions: median(costs.map((c) => c.writeTransactions)),
  };
}

/** Every field divided by `units` (steps, workflows). */
export function costPerUnit(cost: RunCost, units: number): RunCost {
  return {
    wallMs: cost.wallMs / units,
    nodeCpuMs: cost.nodeCpuMs / units,
    postgresCpuMs: cost.postgresCpuMs === undefined ? undefined : cost.postgresCpuMs / units,
    walBytes: cost.walBytes / units,
    statements: cost.statements / units,
    writeTransactions: cost.writeTransactions / units,
  };
}

/** "CPU Node 0.9 ms + PostgreSQL 0.8 ms, WAL 4,100 bytes, 11 statements, 1.0 write transactions". */
export function describeCost(cost: RunCost): string {
  const postgres =
    cost.postgresCpuMs === undefined ? 'n/a' : `${formatNumber(cost.postgresCpuMs)} ms`;
  return `CPU Node ${formatNumber(cost.nodeCpuMs)} ms + PostgreSQL ${postgres}, WAL ${formatNumber(cost.walBytes)} bytes, ${formatNumber(cost.statements)} statements, ${formatNumber(cost.writeTransactions)} write transactions`;
}

/** CPU of Node and PostgreSQL together (Node alone when PostgreSQL's is unknown). */
export function totalCpuMs(cost: RunCost): number {
  return cost.nodeCpuMs + (cost.postgresCpuMs ?? 0);
}

/** ours/theirs of each cost (> 1: ours costs more). */
export interface CostRatios {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly walBytes: number;
  readonly statements: number;
  readonly writeTransactions: number;
}

/** How many times ours costs theirs, field by field. */
export function costRatios(ours: RunCost, theirs: RunCost): CostRatios {
  return {
    wallMs: ours.wallMs / theirs.wallMs,
    cpuMs: totalCpuMs(ours) / totalCpuMs(theirs),
    walBytes: ours.walBytes / theirs.walBytes,
    statements: ours.statements / theirs.statements,
    writeTransactions: ours.writeTransactions / theirs.writeTransactions,
  };
}

/** "wall 1.3x, CPU 2.1x, WAL 5.9x, statements 3.7x, write transactions 1.0x". */
export function describeRatios(ratios: CostRatios): string {
  const x = (value: number): string => `${formatNumber(value)}x`;
  return `wall ${x(ratios.wallMs)}, CPU ${x(ratios.cpuMs)}, WAL ${x(ratios.walBytes)}, statements ${x(ratios.statements)}, write transactions ${x(ratios.writeTransactions)}`;
}
