// Turning what the AWS SDK throws into strata's errors: a missing object is NotFoundError, every
// other failure an ArtifactStoreError (fault environment) naming the bucket, the key and what
// failed, retryable unless it cannot change by itself (a missing bucket, refused credentials).
// Messages hold only the SDK's error name or the system's code: never a credential.
import { ArtifactStoreError, type ArtifactStoreOperation } from './artifact-store-error.js';

/** S3 error names that trying again unchanged will not fix. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'CredentialsProviderError',
  'InvalidAccessKeyId',
  'InvalidBucketName',
  'NoSuchBucket',
  'PermanentRedirect',
  'SignatureDoesNotMatch',
]);

/** Names of the "no such object" answers of GetObject and HeadObject. */
const MISSING_OBJECT = new Set(['NoSuchKey', 'NotFound']);

/** What to check when the object store fails. */
const S3_HINT =
  'Check that the endpoint is reachable (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL for an ' +
  'S3-compatible server), the bucket exists, and the credentials of the AWS default chain ' +
  '(AWS_ACCESS_KEY_ID, AWS_PROFILE, ...) may read and write it.';

/** The SDK's facts about an error: its name, HTTP status and system code. */
interface SdkErrorFacts {
  readonly name: string | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;
}

/** What the SDK says about `error`, looking one cause deep for a system code. */
function factsOf(error: unknown): SdkErrorFacts {
  if (!(error instanceof Error)) return { name: undefined, status: undefined, code: undefined };
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  const ownCode = (error as { code?: unknown }).code;
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  const code = typeof ownCode === 'string' ? ownCode : causeCode;
  return {
    name: error.name === 'Error' ? undefined : error.name,
    status: typeof status === 'number' ? status : undefined,
    code: typeof code === 'string' ? code : undefined,
  };
}

/** True when `error` says the object is not there (404, NoSuchKey, NotFound). */
export function isMissingObject(error: unknown): boolean {
  const { name, status } = factsOf(error);
  return (name !== undefined && MISSING_OBJECT.has(name)) || status === 404;
}

/** The ArtifactStoreError of a failed S3 call on `key`. */
export function s3StoreError(
  operation: ArtifactStoreOperation,
  what: string,
  location: string,
  bucket: string,
  key: string,
  error: unknown,
): ArtifactStoreError {
  const { name, status, code } = factsOf(error);
  const shown = code ?? name ?? (status === undefined ? undefined : `HTTP ${status}`);
  const retryable = !(name !== undefined && PERMANENT_ERRORS.has(name)) && status !== 403;
  return new ArtifactStoreError(
    operation,
    `${what} (bucket ${bucket}, key ${key})`,
    location,
    error,
    S3_HINT,
    { ...(shown === undefined ? {} : { code: shown }), retryable },
  );
}
