// Creating the directories of a local artifact store with exactly the store's mode: mkdir's mode
// is masked by the process's umask (and cannot set the setgid bit of a shared store), so every
// directory this call creates is chmod-ed afterwards. Directories that exist already keep their
// mode: a store made by an older strata, or prepared by its operator, is used as it is.
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';

/** Creates `dir` and its missing parents, giving each directory it creates the mode `mode`. */
export async function ensureDirectory(dir: string, mode: number): Promise<void> {
  const firstCreated = await mkdir(dir, { recursive: true, mode });
  if (firstCreated === undefined) return;
  for (const created of createdChain(firstCreated, dir)) await chmod(created, mode);
}

/** `first` and every directory under it down to `last` (those one recursive mkdir created). */
function createdChain(first: string, last: string): string[] {
  const chain: string[] = [];
  let current = last;
  while (current !== first && relative(first, current).split(sep)[0] !== '..') {
    chain.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  chain.unshift(first);
  return chain;
}
