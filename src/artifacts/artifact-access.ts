// The view of the artifact store that compute functions get (ctx.artifacts).
import type { ArtifactAccess } from '../definitions/index.js';
import type { ArtifactStore } from './artifact-store.js';

/** Adapts a store to the ArtifactAccess interface of AssetContext. */
export function artifactAccess(store: ArtifactStore): ArtifactAccess {
  return {
    put: (name, content, contentType) =>
      store.put(content, contentType === undefined ? { name } : { name, contentType }),
    putStream: (name, source, contentType) =>
      store.putStream(source, contentType === undefined ? { name } : { name, contentType }),
    read: (ref) => store.read(ref),
    openReadStream: (ref) => store.openReadStream(ref),
  };
}
