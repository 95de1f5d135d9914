// A content-addressed artifact store in S3-compatible object storage (AWS S3, MinIO, Ceph, ...):
// objects under `<prefix>sha256/<first 2 hex>/<64 hex>`, verified while they are read. Streamed
// writes are spooled to a local temp file while hashed and uploaded (multipart when large) to
// their content key only then, so a content key never holds unverified or partial bytes.
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ArtifactRef } from '../definitions/index.js';
import { NotFoundError, UsageError } from '../errors.js';
import { sha256Hex } from '../util/canonical-json.js';
import { artifactId, parseArtifactHash, type ArtifactId } from './artifact-hash.js';
import { ArtifactStoreError, type ArtifactStoreOperation } from './artifact-store-error.js';
import type {
  ArtifactSource,
  ArtifactStat,
  ArtifactStore,
  DeleteArtifactOptions,
  DeleteArtifactOutcome,
  PutArtifactOptions,
  StoredArtifact,
} from './artifact-store.js';
import { HashVerifier } from './hash-verifier.js';
import { checkPutOptions, nameOf, toBytes } from './put-options.js';
import { isMissingObject, s3StoreError } from './s3-store-errors.js';
import { spoolToFile } from './spool-file.js';

/** Multipart part size: S3's minimum, so an upload holds at most PART_SIZE * QUEUE_SIZE. */
const PART_SIZE = 5 * 1024 * 1024;
/** Parts uploaded at once. */
const QUEUE_SIZE = 4;
/** The largest object one CopyObject may copy (5 GiB); larger ones are uploaded again. */
const COPY_OBJECT_MAX = 5 * 1024 ** 3;
/** An artifact's key below the store's prefix: `sha256/<2 hex>/<64 hex>`. */
const ARTIFACT_KEY = /^sha256\/([0-9a-f]{2})\/(\1[0-9a-f]{62})$/;

/** Where an S3 store is and how to reach it. */
export interface S3ArtifactStoreOptions {
  readonly bucket: string;
  /** Key prefix of the store ('' or ending in '/'; one is added when missing). */
  readonly prefix?: string;
  /** The client; when absent, one is made from `client` options and the SDK's default chain. */
  readonly s3?: S3Client;
  /** The endpoint of an S3-compatible server; undefined: the SDK's own (AWS_ENDPOINT_URL_S3...). */
  readonly endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`); default: whenever `endpoint` is given. */
  readonly forcePathStyle?: boolean;
  /** The region; undefined: the SDK's chain (AWS_REGION, the profile), else us-east-1. */
  readonly region?: string;
  /** Attempts per request, retries included (the SDK's default is 3). */
  readonly maxAttempts?: number;
  /** Where streamed writes are spooled while hashed (default: the OS temp directory). */
  readonly spoolDir?: string;
  /** Keys per ListObjectsV2 page of list() (default and most: 1000, S3's own). */
  readonly listPageSize?: number;
}

/** Content-addressed artifacts in `s3://<bucket>/<prefix>sha256/<first 2 hex>/<64 hex>`. */
export class S3ArtifactStore implements ArtifactStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly location: string;
  readonly #s3: S3Client;
  readonly #spoolDir: string;
  readonly #listPageSize: number | undefined;

  constructor(options: S3ArtifactStoreOptions) {
    if (typeof options.bucket !== 'string' || options.bucket === '') {
      throw new UsageError('an S3 artifact store needs a bucket name', {
        hint: 'e.g. s3://my-bucket/strata',
      });
    }
    this.bucket = options.bucket;
    const prefix = (options.prefix ?? '').replace(/^\/+/, '');
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.location = `s3://${this.bucket}${this.prefix === '' ? '' : `/${this.prefix.slice(0, -1)}`}`;
    this.#s3 = options.s3 ?? newS3Client(options);
    this.#spoolDir = options.spoolDir ?? tmpdir();
    this.#listPageSize = options.listPageSize;
  }

  /** The object key of validated hex digits. */
  keyOf(id: ArtifactId): string {
    const hex = parseArtifactHash(id);
    return `${this.prefix}sha256/${hex.slice(0, 2)}/${hex}`;
  }

  async put(content: Uint8Array | string, options: PutArtifactOptions): Promise<ArtifactRef> {
    const { name, contentType } = checkPutOptions(options);
    const bytes = toBytes(content);
    const hex = sha256Hex(bytes);
    await this.#store(hex, bytes.byteLength, name, contentType, () => bytes);
    return { artifact: artifactId(hex), name, size: bytes.byteLength, contentType };
  }

  async putStream(source: ArtifactSource, options: PutArtifactOptions): Promise<ArtifactRef> {
    const { name, contentType } = checkPutOptions(options);
    const what = `artifact ${JSON.stringify(name)}`;
    const spooled = await spoolToFile(
      source,
      this.#spoolDir,
      (error) =>
        new ArtifactStoreError(
          'write',
          `${what} (spooling it to ${this.#spoolDir} while hashing)`,
          this.location,
          error,
          'Check that the temp directory is writable and has room for the artifact.',
        ),
    );
    try {
      await this.#store(spooled.hex, spooled.size, name, contentType, () =>
        createReadStream(spooled.path),
      );
    } finally {
      await unlink(spooled.path).catch(() => undefined);
    }
    return { artifact: artifactId(spooled.hex), name, size: spooled.size, contentType };
  }

  async read(id: ArtifactId): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openReadStream(id)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async openReadStream(id: ArtifactId): Promise<Readable> {
    const hex = parseArtifactHash(id);
    const key = this.keyOf(hex);
    const what = describe(hex, id);
    let body: Readable;
    try {
      const output = await this.#s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      body = output.Body as Readable;
    } catch (error) {
      if (isMissingObject(error)) {
        throw new NotFoundError(`${what} not found in ${this.location} (key ${key})`, {
          cause: error,
          hint: 'Check that strata uses the right artifact store (STRATA_ARTIFACT_STORE), or re-materialize the asset that made it.',
        });
      }
      throw s3StoreError('read', what, this.location, this.bucket, key, error);
    }
    const verifier = new HashVerifier(hex, `s3://${this.bucket}/${key}`, nameOf(id));
    // A broken connection mid-body is the store's failure; a consumer that stops early ends it.
    body.on('error', (error) =>
      verifier.destroy(s3StoreError('read', what, this.location, this.bucket, key, error)),
    );
    verifier.on('close', () => body.destroy());
    body.pipe(verifier);
    return verifier;
  }

  async has(id: ArtifactId): Promise<boolean> {
    return (await this.stat(id)) !== undefined;
  }

  async stat(id: ArtifactId): Promise<ArtifactStat | undefined> {
    const hex = parseArtifactHash(id);
    const key = this.keyOf(hex);
    const head = await this.#head(key, describe(hex, id), 'read');
    if (head === undefined) return undefined;
    return {
      artifact: artifactId(hex),
      size: head.ContentLength ?? 0,
      location: `s3://${this.bucket}/${key}`,
      storedAt: head.LastModified ?? new Date(0),
    };
  }

  /** Every stored artifact, one ListObjectsV2 page at a time. */
  async *list(): AsyncIterable<StoredArtifact> {
    const prefix = `${this.prefix}sha256/`;
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.#s3.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ContinuationToken: token,
            MaxKeys: this.#listPageSize,
          }),
        );
      } catch (error) {
        throw s3StoreError('list', 'artifacts', this.location, this.bucket, prefix, error);
      }
      for (const object of page.Contents ?? []) {
        const hex = ARTIFACT_KEY.exec(object.Key?.slice(this.prefix.length) ?? '')?.[2];
        if (hex === undefined) continue;
        yield {
          artifact: artifactId(hex),
          size: object.Size ?? 0,
          storedAt: object.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /**
   * Deletes an artifact's object. With `storedBefore`, its time of storage is checked first
   * (HeadObject); S3 has no delete conditional on it, so a put of the same content in the
   * moment between the two requests is not seen (docs/artifacts.md, "Garbage collection").
   */
  async delete(
    id: ArtifactId,
    options: DeleteArtifactOptions = {},
  ): Promise<DeleteArtifactOutcome> {
    const hex = parseArtifactHash(id);
    const key = this.keyOf(hex);
    const what = describe(hex, id);
    const head = await this.#head(key, what, 'delete');
    if (head === undefined) return 'absent';
    const { storedBefore } = options;
    if (storedBefore !== undefined && (head.LastModified ?? new Date()) >= storedBefore) {
      return 'kept';
    }
    try {
      await this.#s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw s3StoreError('delete', what, this.location, this.bucket, key, error);
    }
    return 'deleted';
  }

  /**
   * Uploads the bytes of `hex` unless an object of the same size is already there (equal hashes
   * mean equal content; a size mismatch means it was altered, and the bytes in hand are good).
   * An object kept has its time of storage refreshed, as the garbage collector relies on.
   */
  async #store(
    hex: string,
    size: number,
    name: string,
    contentType: string,
    body: () => Uint8Array | Readable,
  ): Promise<void> {
    const key = this.keyOf(hex);
    const what = `artifact ${JSON.stringify(name)}`;
    const existing = await this.#head(key, what, 'write');
    if (existing?.ContentLength === size && (await this.#refresh(key, existing))) return;
    try {
      const upload = new Upload({
        client: this.#s3,
        params: { Bucket: this.bucket, Key: key, Body: body(), ContentType: contentType },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      await upload.done();
    } catch (error) {
      throw s3StoreError('write', what, this.location, this.bucket, key, error);
    }
  }

  /**
   * Refreshes the time of storage of an existing object by copying it onto itself (the bytes
   * stay on the server). False when that did not happen (gone meanwhile, larger than one
   * CopyObject may copy, refused, or a server that keeps the old time, as s3rver does), and the
   * caller uploads it again instead.
   */
  async #refresh(key: string, existing: HeadObjectCommandOutput): Promise<boolean> {
    if ((existing.ContentLength ?? 0) > COPY_OBJECT_MAX) return false;
    try {
      const copied = await this.#s3.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: key,
          CopySource: `${this.bucket}/${key}`,
          MetadataDirective: 'REPLACE',
          ...(existing.ContentType === undefined ? {} : { ContentType: existing.ContentType }),
        }),
      );
      const after = copied.CopyObjectResult?.LastModified?.getTime();
      const before = existing.LastModified?.getTime();
      return after !== undefined && before !== undefined && after > before;
    } catch {
      return false;
    }
  }

  /** HeadObject of `key`, or undefined when there is no such object. */
  async #head(
    key: string,
    what: string,
    operation: ArtifactStoreOperation,
  ): Promise<HeadObjectCommandOutput | undefined> {
    try {
      return await this.#s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw s3StoreError(operation, what, this.location, this.bucket, key, error);
    }
  }
}

/** A client from the options and the SDK's default chains (credentials, region, endpoint). */
function newS3Client(options: S3ArtifactStoreOptions): S3Client {
  const region =
    options.region ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION ??
    (options.endpoint === undefined ? undefined : 'us-east-1');
  return new S3Client({
    ...(region === undefined ? {} : { region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    // Content is verified by its sha256 on every read; the SDK's default CRC checksums (sent as
    // aws-chunked trailers) are refused by several S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** 'artifact sha256:<hex>', with the reference's name when there is one. */
function describe(hex: string, id: ArtifactId): string {
  const name = nameOf(id);
  return `artifact sha256:${hex}${name === undefined ? '' : ` (${JSON.stringify(name)})`}`;
}
