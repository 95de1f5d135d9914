// Noticing that the asset definitions changed on disk: the directory of the definitions module
// is looked at every second (recursively; node_modules, dist, .strata and .git aside) for source
// and data files whose size or time changed, and a change is reported once their content differs
// from what was loaded, so saving a file unchanged or touching it reloads nothing. Polling, not
// fs.watch: editors replace files by renaming, which recursive watches on Linux lose track of.
// Imports from outside that directory are not watched (docs/api.md says so).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Files whose change can change the definitions. */
const WATCHED_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json']);
/** Directories that are never part of the definitions. */
const IGNORED_DIRECTORIES = new Set(['node_modules', 'dist', '.strata', '.git', 'coverage']);
/** How often the files are looked at. */
const POLL_MS = 1_000;

function watched(relative: string): boolean {
  const parts = relative.split(path.sep);
  if (parts.some((part) => IGNORED_DIRECTORIES.has(part))) return false;
  return WATCHED_EXTENSIONS.has(path.extname(relative));
}

/** The watched files under `root`, relative to it. */
async function watchedFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter(watched)
    .sort();
}

/** The content fingerprint of every watched file under `root`, by relative path. */
export async function definitionsFingerprint(root: string): Promise<Map<string, string>> {
  const fingerprint = new Map<string, string>();
  for (const relative of await watchedFiles(root)) {
    try {
      const content = await readFile(path.join(root, relative));
      fingerprint.set(relative, createHash('sha256').update(content).digest('hex'));
    } catch {
      // Removed between listing and reading: its absence is the change.
    }
  }
  return fingerprint;
}

/** Sizes and modification times of the watched files: cheap to read every second. */
async function statSignature(root: string): Promise<string> {
  const parts: string[] = [];
  for (const relative of await watchedFiles(root)) {
    const stats = await stat(path.join(root, relative)).catch(() => undefined);
    if (stats !== undefined) parts.push(`${relative}\u0000${stats.size}\u0000${stats.mtimeMs}`);
  }
  return parts.join('\n');
}

/** The files whose content differs between two fingerprints (added, changed or removed). */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = new Set<string>();
  for (const [file, hash] of after) if (before.get(file) !== hash) changed.add(file);
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed].sort();
}

/** A running watch; close() stops it. */
export interface DefinitionsWatch {
  close(): void;
}

/**
 * Calls `onChange` with the changed files (relative to the module's directory) whenever the
 * content of the definitions' files changes.
 */
export async function watchDefinitions(
  definitionsFile: string,
  onChange: (files: readonly string[]) => void,
): Promise<DefinitionsWatch> {
  const root = path.dirname(definitionsFile);
  let known = await definitionsFingerprint(root);
  let signature = await statSignature(root);
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      const now = await statSignature(root);
      if (now === signature) return;
      signature = now;
      const content = await definitionsFingerprint(root);
      const files = changedFiles(known, content);
      known = content;
      if (files.length > 0) onChange(files);
    })()
      .catch(() => undefined) // a directory being rewritten: looked at again next time
      .finally(() => {
        busy = false;
      });
  }, POLL_MS);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
