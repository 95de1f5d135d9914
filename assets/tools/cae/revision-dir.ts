// A revision's directory appears whole, once: it is built aside (a draft directory of this
// process) and renamed to its id's name; when that name exists, another build of the same id got
// there first (or an earlier one did) and its files are kept, so one id always means one set of
// files on this machine (Gmsh's STEP files carry a timestamp: two builds differ by it).
import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * The directory `root/id`, built by `build(draftDir)` if it does not exist yet. `build` writes
 * every file into the draft directory it is given.
 */
export async function revisionDir(
  root: string,
  id: string,
  build: (dir: string) => Promise<void>,
): Promise<{ dir: string; built: boolean }> {
  const dir = path.join(root, id);
  if (await exists(dir)) return { dir, built: false };
  const draft = path.join(root, `.${id}.${process.pid}.${randomBytes(4).toString('hex')}.draft`);
  await mkdir(draft, { recursive: true });
  try {
    await build(draft);
    await rename(draft, dir);
    return { dir, built: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await exists(dir))) {
      return { dir, built: false };
    }
    throw error;
  } finally {
    await rm(draft, { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
