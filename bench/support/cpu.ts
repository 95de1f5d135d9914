// CPU accounting for a measured interval: this Node process (process.cpuUsage) and, for the
// embedded server, every PostgreSQL process (postmaster and its children, from /proc), so a
// report can say whether a benchmark is bound by Node, by PostgreSQL, or by waiting (fsync,
// round trips).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat on Linux. */
const CLOCK_TICKS = 100;

/** CPU milliseconds of Node and PostgreSQL over an interval, and its wall time. */
export interface CpuUsage {
  readonly wallMs: number;
  readonly nodeMs: number;
  /** undefined when PostgreSQL's processes cannot be read (DATABASE_URL, not Linux). */
  readonly postgresMs: number | undefined;
}

function postmasterPid(stateDir: string | undefined): number | undefined {
  if (stateDir === undefined) return undefined;
  try {
    const pid = Number.parseInt(
      readFileSync(path.join(stateDir, 'pg/data/postmaster.pid'), 'utf8'),
      10,
    );
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime (ms) of the postmaster and its children, including exited children it reaped. */
function postgresCpuMs(root: number): number | undefined {
  let total = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after "(comm)": state ppid ... utime(14) stime(15) cutime(16) cstime(17).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    if (pid !== root && ppid !== root) continue;
    found = true;
    const own = Number(fields[11]) + Number(fields[12]);
    const reaped = pid === root ? Number(fields[13]) + Number(fields[14]) : 0;
    total += own + reaped;
  }
  return found ? (total * 1000) / CLOCK_TICKS : undefined;
}

/** Starts measuring; the returned function stops and reports. */
export function startCpuMeter(stateDir: string | undefined): () => CpuUsage {
  const root = postmasterPid(stateDir);
  // PostgreSQL first: the /proc scan then falls outside Node's measured CPU and wall time.
  const pg = root === undefined ? undefined : postgresCpuMs(root);
  const start = performance.now();
  const node = process.cpuUsage();
  return () => {
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(node);
    const pgEnd = root === undefined ? undefined : postgresCpuMs(root);
    return {
      wallMs,
      nodeMs: (used.user + used.system) / 1000,
      postgresMs: pg === undefined || pgEnd === undefined ? undefined : pgEnd - pg,
    };
  };
}

/** "Node 0.9 cores, PostgreSQL 0.8 cores of 2" over the interval. */
export function describeCpu(usage: CpuUsage, cores: number): string {
  const share = (ms: number): string => (ms / usage.wallMs).toFixed(2);
  const pg =
    usage.postgresMs === undefined ? 'PostgreSQL n/a' : `PostgreSQL ${share(usage.postgresMs)}`;
  return `CPU busy (cores, of ${cores}): Node ${share(usage.nodeMs)}, ${pg}`;
}
