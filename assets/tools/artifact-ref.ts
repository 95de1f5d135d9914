// Storing a tool's content as an artifact and describing it the way asset values reference
// artifacts (so the engine links it to the materialization that embeds the reference).
import type { ArtifactRef, ArtifactStore } from 'strata';

/** Stores `content` under `name` and returns its reference. */
export function storeArtifact(
  artifacts: ArtifactStore,
  name: string,
  content: string,
  contentType: string,
): Promise<ArtifactRef> {
  return artifacts.put(content, { name, contentType });
}

/** Reads a JSON artifact (hash verified) by its reference. */
export async function readJsonArtifact<T>(artifacts: ArtifactStore, ref: ArtifactRef): Promise<T> {
  return JSON.parse((await artifacts.read(ref)).toString('utf8')) as T;
}
