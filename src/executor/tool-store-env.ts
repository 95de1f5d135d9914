// What a tool server started by a worker is told about the worker's artifact store. Every server
// gets the store's location in the form users configure it ($STRATA_ARTIFACT_STORE: a directory,
// or s3://bucket/prefix) and, when the worker has one, $STRATA_ARTIFACT_STORE_MODE (how a
// directory store is shared): configuration, never a secret. Only a server declared to use the
// store (`artifactStore: true`) also gets what opening an s3:// store takes: every AWS_* variable
// of the worker (the AWS SDK's endpoint, region, profile, config files and credentials). A local
// directory needs nothing more, so a server of a local store gets no AWS_* variable at all.
import { ARTIFACT_STORE_ENV, ARTIFACT_STORE_MODE_ENV } from '../artifacts/index.js';

/** The AWS SDK's own variables: credentials, region, endpoint, profile and config files. */
const AWS_SDK_VARIABLE = /^AWS_[A-Z0-9_]+$/;

/** Whether `location` names an S3 store (the form openArtifactStore takes). */
export function isS3Location(location: string): boolean {
  return /^s3:\/\//i.test(location);
}

/**
 * What opening the store at `location` takes, for a server `declared` to use it: the worker's
 * AWS_* variables for an s3:// store; nothing for a directory, or for a server not declared.
 */
export function toolStoreAccessEnv(
  location: string,
  declared: boolean,
  inherited: NodeJS.ProcessEnv,
): Record<string, string> {
  const env: Record<string, string> = {};
  if (declared && isS3Location(location))
    for (const [name, value] of Object.entries(inherited))
      if (value !== undefined && AWS_SDK_VARIABLE.test(name)) env[name] = value;
  return env;
}

/** Where the store is, for every server: its location, and the worker's store mode if set. */
export function toolStoreLocationEnv(
  location: string,
  inherited: NodeJS.ProcessEnv,
): Record<string, string> {
  // How a directory store is shared (file modes), so a server's writes follow the worker's.
  const mode = inherited[ARTIFACT_STORE_MODE_ENV];
  return {
    ...(mode === undefined || mode === '' ? {} : { [ARTIFACT_STORE_MODE_ENV]: mode }),
    [ARTIFACT_STORE_ENV]: location,
  };
}
