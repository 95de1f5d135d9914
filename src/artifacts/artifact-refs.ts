// Finding the artifact references inside an asset's value, to link a materialization to the
// artifacts it references.
import { artifactRefSchema, type ArtifactRef } from '../definitions/index.js';

/**
 * Every object in a JSON value that is a valid ArtifactRef, deduplicated by hash and name, in
 * document order (object keys sorted, as in canonical JSON) so equal values give equal lists.
 */
export function collectArtifactRefs(value: unknown): ArtifactRef[] {
  const found = new Map<string, ArtifactRef>();
  const visited = new WeakSet<object>();
  const walk = (item: unknown): void => {
    if (typeof item !== 'object' || item === null || visited.has(item)) return;
    visited.add(item);
    if (Array.isArray(item)) {
      for (const element of item) walk(element);
      return;
    }
    const parsed = artifactRefSchema.safeParse(item);
    if (parsed.success) {
      const ref = parsed.data;
      const key = `${ref.artifact}\0${ref.name}`;
      if (!found.has(key)) found.set(key, ref);
      return;
    }
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) walk(record[key]);
  };
  walk(value);
  return [...found.values()];
}
