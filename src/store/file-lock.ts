// An exclusive lock between processes: a file created with O_EXCL holding its owner's pid,
// host, a token and its creation time. A lock whose holder died (same host) or that is older
// than the stale timeout is broken; waiters poll with backoff for a bounded time.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { EnvironmentError } from '../errors.js';

/** Longest wait for a lock before giving up (initdb plus a slow start fit well inside). */
export const LOCK_WAIT_MS = 180_000;
/** Age after which a lock counts as abandoned even if its holder seems alive. */
export const LOCK_STALE_MS = 300_000;
/** First and longest pause between attempts to take a held lock. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 500;

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  createdAt: string;
}

/** Options of withFileLock (defaults LOCK_WAIT_MS and LOCK_STALE_MS). */
export interface FileLockOptions {
  waitMs?: number;
  staleMs?: number;
  /** What the lock protects, for the timeout message. */
  purpose?: string;
}

/** Runs `fn` while holding the exclusive lock file `lockFile`; releases it afterwards. */
export async function withFileLock<T>(
  lockFile: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const token = await acquire(lockFile, options);
  try {
    return await fn();
  } finally {
    await release(lockFile, token);
  }
}

async function acquire(lockFile: string, options: FileLockOptions): Promise<string> {
  const waitMs = options.waitMs ?? LOCK_WAIT_MS;
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    token: randomBytes(8).toString('hex'),
    createdAt: new Date().toISOString(),
  };
  const deadline = Date.now() + waitMs;
  let pause = FIRST_POLL_MS;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      return owner.token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new EnvironmentError(`Could not create the lock file ${lockFile}.`, {
          cause: error,
          hint: 'Check that the strata state directory is writable.',
        });
      }
    }
    if (await breakIfStale(lockFile, staleMs, owner.token)) continue;
    if (Date.now() >= deadline) {
      const holder = await readOwner(lockFile);
      throw new EnvironmentError(
        `Timed out after ${Math.round(waitMs / 1000)} s waiting for the lock ${lockFile}${options.purpose === undefined ? '' : ` (${options.purpose})`}${holder === undefined ? '' : `, held by pid ${holder.pid} on ${holder.host} since ${holder.createdAt}`}.`,
        { hint: `If no strata process is starting or stopping the database, delete ${lockFile}.` },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(MAX_POLL_MS, Math.round(pause * 1.5));
  }
}

/** Breaks the lock if abandoned; true when it did (or the lock vanished meanwhile). */
async function breakIfStale(lockFile: string, staleMs: number, token: string): Promise<boolean> {
  let content: string;
  let modifiedAt: number;
  try {
    [content, modifiedAt] = await Promise.all([
      readFile(lockFile, 'utf8'),
      stat(lockFile).then((s) => s.mtimeMs),
    ]);
  } catch {
    return true; // released meanwhile: try again at once
  }
  const holder = parseOwner(content);
  const age = Date.now() - (holder === undefined ? modifiedAt : Date.parse(holder.createdAt));
  const dead = holder !== undefined && holder.host === os.hostname() && !isAlive(holder.pid);
  if (!dead && age < staleMs) return false;
  // Move it aside atomically, then make sure what we moved is what we judged stale: if another
  // process replaced it in between, put theirs back (link fails if yet another lock exists).
  const aside = `${lockFile}.${token}.stale`;
  try {
    await rename(lockFile, aside);
  } catch {
    return true;
  }
  try {
    if ((await readFile(aside, 'utf8')) !== content) await link(aside, lockFile).catch(() => {});
  } finally {
    await rm(aside, { force: true });
  }
  return true;
}

async function release(lockFile: string, token: string): Promise<void> {
  const holder = await readOwner(lockFile);
  if (holder?.token === token) await rm(lockFile, { force: true });
}

async function readOwner(lockFile: string): Promise<LockOwner | undefined> {
  try {
    return parseOwner(await readFile(lockFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseOwner(content: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(content) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' && typeof parsed.token === 'string'
      ? (parsed as LockOwner)
      : undefined;
  } catch {
    return undefined; // being written right now
  }
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
