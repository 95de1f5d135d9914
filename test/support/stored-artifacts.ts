// What an artifact store holds, for tests: the ids list() gives, sorted.
import type { ArtifactStore } from '../../src/artifacts/index.js';

/** Every artifact id in `store`, sorted. */
export async function storedIds(store: ArtifactStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const stored of store.list()) ids.push(stored.artifact);
  return ids.sort();
}
