// Who may read and write a local artifact store: private to its owner by default (files 0600,
// directories 0700), or shared on purpose with the group of its directory (setgid directories,
// so every file and directory created in them inherits that group), chosen with an option of
// LocalArtifactStore or the environment variable STRATA_ARTIFACT_STORE_MODE.
import { UsageError } from '../errors.js';
import { ARTIFACT_STORE_MODE_ENV } from './artifact-store-env.js';
import { quoteInput } from './quote-input.js';

/** The ways a local store can be shared, and the file and directory modes of each. */
export const STORE_SHARING_MODES = {
  /** Only the owner reads and writes (the default). */
  private: { file: 0o600, directory: 0o700 },
  /** The group reads and adds artifacts (workers of several users on one NFS directory). */
  group: { file: 0o640, directory: 0o2770 },
  /** The group reads; only the owner adds (a server or readers run by other users). */
  'group-read': { file: 0o640, directory: 0o2750 },
} as const satisfies Record<string, FileModes>;

/** How a local store is shared. */
export type StoreSharing = keyof typeof STORE_SHARING_MODES;

/** The modes a store gives the files and directories it creates. */
export interface FileModes {
  readonly file: number;
  readonly directory: number;
}

/** The default: private to the owner. */
export const DEFAULT_STORE_SHARING: StoreSharing = 'private';

/** The sharing named by `value` (undefined or blank: the default); a UsageError naming `source` otherwise. */
export function parseStoreSharing(value: string | undefined, source: string): StoreSharing {
  if (value === undefined || value.trim() === '') return DEFAULT_STORE_SHARING;
  const name = value.trim();
  if (Object.hasOwn(STORE_SHARING_MODES, name)) return name as StoreSharing;
  const choices = Object.keys(STORE_SHARING_MODES).join(', ');
  throw new UsageError(`invalid ${source} ${quoteInput(value)}: expected one of ${choices}`, {
    hint: `Unset ${ARTIFACT_STORE_MODE_ENV} for a store private to its owner, or set it to group to share the store with the group of its directory (docs/artifacts.md, "Sharing a store").`,
  });
}
