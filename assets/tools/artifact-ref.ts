// Storing a tool's content as an artifact and describing it the way asset values reference
// artifacts (so the engine links it to the materialization that embeds the reference), and
// whether every artifact an answer references is still stored.
import { collectArtifactRefs, type ArtifactRef, type ArtifactStore } from 'strata';

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

/**
 * Whether every artifact `answer` references is in the store: an answer given before is only
 * worth replaying while its artifacts are there (`strata artifacts gc` deletes what no
 * materialization references, such as the results of calls whose step then failed).
 */
export async function allStored(artifacts: ArtifactStore, answer: unknown): Promise<boolean> {
  const present = await Promise.all(
    collectArtifactRefs(answer).map((ref) => artifacts.has(ref.artifact)),
  );
  return present.every(Boolean);
}
