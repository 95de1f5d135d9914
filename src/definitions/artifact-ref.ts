// The reference a value holds to a stored artifact: the content hash is part of the value, so
// the data version of a value covers the content of its artifacts.
import { z } from 'zod';

/** Schema of a reference to a content-addressed artifact; use it inside output schemas. */
export const artifactRefSchema = z.object({
  artifact: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 hex digits>'),
  name: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  contentType: z.string().min(1),
});

/** A reference to an artifact in the artifact store. */
export type ArtifactRef = z.infer<typeof artifactRefSchema>;
