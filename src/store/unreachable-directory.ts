// Finds why another OS user cannot run a program: the first directory on the program's path that
// the user may not enter (as root, strata runs PostgreSQL as the `postgres` user, who cannot
// reach binaries under a private directory such as /root or a mkdtemp directory).
import { stat } from 'node:fs/promises';
import path from 'node:path';

/** The first directory above `file` that `uid`/`gid` may not search (enter), or undefined. */
export async function unreachableDirectory(
  file: string,
  identity: { readonly uid: number; readonly gid: number },
): Promise<string | undefined> {
  const directories: string[] = [];
  for (let current = path.dirname(file); ; current = path.dirname(current)) {
    directories.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const directory of directories) {
    const info = await stat(directory).catch(() => undefined);
    if (info === undefined) return undefined;
    const searchBit = info.uid === identity.uid ? 0o100 : info.gid === identity.gid ? 0o010 : 0o001;
    if ((info.mode & searchBit) === 0) return directory;
  }
  return undefined;
}
