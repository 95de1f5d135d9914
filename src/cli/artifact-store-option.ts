// The --artifact-store option of the commands that use the artifact store, and opening the store
// it names (else $STRATA_ARTIFACT_STORE, else the state directory's artifacts/).
import path from 'node:path';
import { ARTIFACT_STORE_ENV } from '../artifacts/artifact-store-env.js';
import type { ArtifactStore } from '../artifacts/index.js';
import type { CommandContext, OptionSpec } from './command.js';

/** `--artifact-store STORE`. */
export const ARTIFACT_STORE_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'STORE',
  description: `a directory or s3://BUCKET/PREFIX for artifacts (default: $${ARTIFACT_STORE_ENV}, else .strata/artifacts)`,
};

/** The artifact store of this invocation. */
export async function commandArtifactStore(context: CommandContext): Promise<ArtifactStore> {
  const { openArtifactStore } = await import('../artifacts/index.js');
  return openArtifactStore({
    location: context.flags.string('artifact-store'),
    defaultDirectory: path.join(context.stateDir, 'artifacts'),
    cwd: context.io.cwd,
    env: context.io.env,
  });
}
