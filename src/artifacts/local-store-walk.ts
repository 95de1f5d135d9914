// Walking the files of a local artifact store (`sha256/<2 hex>/<64 hex>`) one directory entry at
// a time, so a store of millions of artifacts is never listed into memory whole. Anything else
// (temp files of writes in progress, stray files) is skipped; entries are stat-ed rather than
// trusted by their directory-entry type, which some network file systems do not report.
import type { Stats } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from './put-options.js';

/** A fan-out directory's name: the first two hex digits of its artifacts. */
const FANOUT_NAME = /^[0-9a-f]{2}$/;
/** An artifact file's name: its 64 hex digits. */
const ARTIFACT_NAME = /^[0-9a-f]{64}$/;

/** One artifact file found by the walk. */
export interface StoredFile {
  readonly hex: string;
  readonly size: number;
  readonly mtime: Date;
}

/** Every artifact file under `algorithmDir` (nothing when it does not exist yet). */
export async function* walkStoredFiles(algorithmDir: string): AsyncGenerator<StoredFile> {
  for await (const fanout of entryNames(algorithmDir, ['ENOENT'])) {
    if (!FANOUT_NAME.test(fanout)) continue;
    for await (const name of entryNames(join(algorithmDir, fanout), ['ENOENT', 'ENOTDIR'])) {
      if (!ARTIFACT_NAME.test(name) || !name.startsWith(fanout)) continue;
      const stats = await statOrUndefined(join(algorithmDir, fanout, name));
      if (stats?.isFile() === true) yield { hex: name, size: stats.size, mtime: stats.mtime };
    }
  }
}

/** The entry names of a directory, read one at a time; none when opening it fails with `absent`. */
async function* entryNames(dir: string, absent: readonly string[]): AsyncGenerator<string> {
  let handle;
  try {
    handle = await opendir(dir);
  } catch (error) {
    if (absent.includes(errorCode(error) ?? '')) return;
    throw error;
  }
  for await (const entry of handle) yield entry.name;
}

/** fs.stat, or undefined when the entry vanished since it was listed (deleted meanwhile). */
async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}
