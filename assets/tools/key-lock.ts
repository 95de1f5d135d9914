// An exclusive lock file per idempotency key, so that two tool-server processes sharing one store
// on one machine never both do one key's work. A lock is created whole (written to a private file,
// then hard-linked to its name, which fails if the name exists) and holds its owner's pid and, on
// Linux, the boot and start time of that process; a lock whose process is no longer running
// (killed mid-work; or its pid now belongs to another process) is stale and taken over. Locks
// still held when the process exits (process.exit, a handled signal) are removed on the way out.
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { createWhole } from './create-whole.js';
import { isAlive, processStamp } from './process-alive.js';

/** A held lock. */
export interface KeyLock {
  /** Removes the lock file (after the answer is stored). */
  release(): Promise<void>;
}

/** The lock, or the pid of the running process that holds it. */
export type LockAttempt = { readonly lock: KeyLock } | { readonly heldBy: number };

/** Lock files held by this process, removed when it exits. */
const heldFiles = new Set<string>();
process.on('exit', () => {
  for (const file of heldFiles) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
});

/** The lock files of one directory, one per key. */
export class KeyLocks {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Takes the lock of `key` if it is free or stale; else says which process holds it. */
  async tryLock(key: string): Promise<LockAttempt> {
    const file = path.join(this.#dir, `${key}.lock`);
    await mkdir(this.#dir, { recursive: true });
    const content = `${process.pid} ${processStamp(process.pid) ?? '-'} ${randomBytes(8).toString('hex')}\n`;
    for (;;) {
      if (await createWhole(file, content)) {
        heldFiles.add(file);
        return { lock: { release: () => releaseFile(file, content) } };
      }
      const found = await readOrUndefined(file);
      if (found === undefined) continue; // released in between
      const [pidText = '', stamp = '-'] = found.split(' ');
      const pid = Number.parseInt(pidText, 10);
      if (isHeld(pid, stamp, file)) return { heldBy: pid };
      await breakStale(file, found);
    }
  }
}

/**
 * Removes the stale lock `file` (whose content was `stale`). It is first renamed aside, an atomic
 * grab: if what was grabbed is not the stale lock (another process took it over and locked it
 * again in between), it is put back.
 */
async function breakStale(file: string, stale: string): Promise<void> {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readOrUndefined(aside)) !== stale) {
    await link(aside, file).catch(() => undefined);
  }
  await unlink(aside);
}

async function releaseFile(file: string, content: string): Promise<void> {
  heldFiles.delete(file);
  if ((await readOrUndefined(file)) === content) await unlink(file).catch(() => undefined);
}

async function readOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether the lock `file` of process `pid` (started at `stamp`) is still held by it. */
function isHeld(pid: number, stamp: string, file: string): boolean {
  if (pid === process.pid) return heldFiles.has(file);
  return isAlive(pid, stamp === '-' ? undefined : stamp);
}
