// Where a recorded value lives: inline in its materialization row when small, otherwise as a
// JSON artifact the row points to (computations and observations alike).
import type { ArtifactStore } from '../artifacts/index.js';
import type { ArtifactRef } from '../definitions/index.js';
import { INLINE_VALUE_LIMIT_BYTES } from './constants.js';

/** The value columns of a materialization record, and the artifact holding it if any. */
export interface StoredValueColumns {
  /** The value itself, or undefined when it went to `valueArtifact`. */
  readonly value: unknown;
  readonly valueArtifact: string | null;
  readonly valueSize: number;
  readonly artifact: ArtifactRef | undefined;
}

/** Stores `value` inline or, when its JSON exceeds the inline limit, as an artifact. */
export async function storeValue(
  artifacts: Pick<ArtifactStore, 'put'>,
  value: unknown,
): Promise<StoredValueColumns> {
  const json = JSON.stringify(value) ?? 'null';
  const valueSize = Buffer.byteLength(json);
  if (valueSize <= INLINE_VALUE_LIMIT_BYTES)
    return { value, valueArtifact: null, valueSize, artifact: undefined };
  const ref = await artifacts.put(json, { name: 'value.json', contentType: 'application/json' });
  return {
    value: undefined,
    valueArtifact: ref.artifact.slice('sha256:'.length),
    valueSize,
    artifact: ref,
  };
}
