// Whether a process started earlier is still the one running: its pid exists, is no zombie, and
// (on Linux, where /proc says when a process started) has the same boot and start time as when
// it was recorded, so a pid reused by another process does not pass for the solver.
import { readFileSync } from 'node:fs';

/** Linux: `boot id:start time` of a live process; undefined for a zombie, no process, or no /proc. */
export function processStamp(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesized command name: state is the 1st, starttime the 20th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot}:${fields[19]}`;
  } catch {
    return undefined;
  }
}

/** Whether `pid` runs (and, when `stamp` is known, is the process that had it). */
export function isAlive(pid: number, stamp?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true; // kill(0) is all there is
  const now = processStamp(pid);
  return now !== undefined && (stamp === undefined || stamp === now);
}

/**
 * Whether any process of the process group `pgid` runs (a detached child leads a group of its
 * own, and its children stay in it when it dies): kill(-pgid, 0).
 */
export function groupAlive(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
