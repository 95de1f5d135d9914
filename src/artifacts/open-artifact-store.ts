// Choosing the artifact store by configuration: a directory path (the local store; also right
// on a shared file system such as NFS) or an `s3://bucket/prefix` URL (S3-compatible object
// storage), from a command-line option, else STRATA_ARTIFACT_STORE, else the state directory's
// `artifacts/`. The S3 backend and the AWS SDK are loaded only when an s3:// URL is used.
// STRATA_ARTIFACT_STORE_MODE says how a directory store is shared (checked for every store, so
// a mistyped value never goes unnoticed).
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { ARTIFACT_STORE_ENV, ARTIFACT_STORE_MODE_ENV } from './artifact-store-env.js';
import type { ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import { parseStoreSharing } from './store-sharing.js';

/** Where the store is configured, most specific first. */
export interface ArtifactStoreConfig {
  /** An explicit location (a command-line option), if any. */
  readonly location?: string | undefined;
  /** The store used when nothing is configured (`<stateDir>/artifacts`). */
  readonly defaultDirectory: string;
  /** Relative directories are resolved against this. */
  readonly cwd: string;
  /**
   * The environment (STRATA_ARTIFACT_STORE, STRATA_ARTIFACT_STORE_MODE, AWS_ENDPOINT_URL_S3,
   * AWS_ENDPOINT_URL).
   */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A URL scheme at the start of a location ('s3://', 'gs://'...). */
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** How to write a location, shown under every error about one. */
const LOCATION_HINT = 'Use a directory path or s3://BUCKET/PREFIX.';

/** The artifact store the configuration names. */
export async function openArtifactStore(config: ArtifactStoreConfig): Promise<ArtifactStore> {
  const fromEnv = config.env[ARTIFACT_STORE_ENV];
  const sharing = parseStoreSharing(config.env[ARTIFACT_STORE_MODE_ENV], ARTIFACT_STORE_MODE_ENV);
  const location =
    config.location ?? (fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : undefined);
  if (location === undefined) return new LocalArtifactStore(config.defaultDirectory, { sharing });
  const scheme = SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return new LocalArtifactStore(resolve(config.cwd, location), { sharing });
  }
  if (scheme !== 's3') {
    throw new UsageError(`unsupported artifact store ${JSON.stringify(location)}`, {
      hint: LOCATION_HINT,
    });
  }
  const { bucket, prefix } = parseS3Location(location);
  const endpoint =
    nonEmpty(config.env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(config.env.AWS_ENDPOINT_URL);
  const { S3ArtifactStore } = await import('./s3-artifact-store.js');
  return new S3ArtifactStore({ bucket, prefix, ...(endpoint === undefined ? {} : { endpoint }) });
}

/** The bucket and key prefix of `s3://bucket/prefix`. */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/?#]+)\/?([^?#]*)$/i.exec(location);
  if (match === null) {
    throw new UsageError(`invalid S3 artifact store ${JSON.stringify(location)}`, {
      hint: LOCATION_HINT,
    });
  }
  const bucket = match[1]!;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UsageError(`invalid S3 bucket name ${JSON.stringify(bucket)} in ${location}`, {
      hint: 'Bucket names are 3 to 63 lowercase letters, digits, dots and hyphens.',
    });
  }
  const prefix = match[2]!.replace(/\/+$/, '');
  return { bucket, prefix: prefix === '' ? '' : `${prefix}/` };
}

/** `value` unless it is empty or blank. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
