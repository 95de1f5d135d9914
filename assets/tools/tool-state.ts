// The artifact store of a tool server, opened from its location by the same factory as the
// workers' (openArtifactStore: a directory, or s3://BUCKET/PREFIX with the AWS SDK's variables),
// and the directory where the server keeps its idempotency answers and key locks.
//
// Those are local files on purpose, whatever the store: an answer is found by idempotency key,
// while the store only finds bytes by their hash (a keyed, mutable entry has no place in it); and
// a key lock names a process by pid, which only means something on the machine that took it.
// Across machines, the engine already keeps one call of a key in flight (its holds in
// PostgreSQL), and a key's work redone elsewhere stores the same content-addressed artifacts. So:
// - `--state-dir` / $STRATA_TOOL_STATE when given;
// - else, for a directory store, the store's directory (answers then follow the store, shared by
//   every server on this machine, and on a shared file system by the others' answers too);
// - else (an S3 store) a directory of this user on this machine, one per store location so that
//   an answer never points at artifacts of another store: $XDG_STATE_HOME/strata/tool-state/…
//   (default ~/.local/state).
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { LocalArtifactStore, openArtifactStore, type ArtifactStore } from 'strata';
import type { KitOptions } from './kit-options.js';

/** A tool server's store and the root of its answers. */
export interface ToolState {
  readonly artifacts: ArtifactStore;
  /** Answers live in `<stateRoot>/tool-results/<server>`. */
  readonly stateRoot: string;
}

/** Opens the store `options` names and chooses where answers are kept. */
export async function openToolState(
  options: Pick<KitOptions, 'store' | 'stateDir'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ToolState> {
  const artifacts = await openArtifactStore({
    location: options.store,
    defaultDirectory: options.store,
    cwd: process.cwd(),
    env,
  });
  if (options.stateDir !== undefined)
    return { artifacts, stateRoot: path.resolve(options.stateDir) };
  if (artifacts instanceof LocalArtifactStore) return { artifacts, stateRoot: artifacts.root };
  const xdg = env.XDG_STATE_HOME;
  const stateHome = xdg !== undefined && xdg !== '' ? xdg : path.join(homedir(), '.local', 'state');
  const perStore = createHash('sha256').update(artifacts.location).digest('hex').slice(0, 16);
  return { artifacts, stateRoot: path.join(stateHome, 'strata', 'tool-state', perStore) };
}
