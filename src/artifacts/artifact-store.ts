// The one interface every artifact backend implements (as Kysely's Dialect): a local directory
// (LocalArtifactStore) or S3-compatible object storage (S3ArtifactStore). The engine, the server
// and the CLI depend on this interface only; test/artifacts/artifact-store-contract.ts holds
// every backend to the same behaviour.
import type { Readable } from 'node:stream';
import type { ArtifactRef } from '../definitions/index.js';
import type { ArtifactId } from './artifact-hash.js';

/** What put() and putStream() need besides the bytes. */
export interface PutArtifactOptions {
  /** A plain file name ("mesh.vtk"): shown to people and used for downloads. */
  name: string;
  /** Defaults from the name's extension, else application/octet-stream. */
  contentType?: string;
}

/** What stat() tells about a stored artifact. */
export interface ArtifactStat {
  /** 'sha256:<hex>' */
  artifact: string;
  size: number;
  /** Where the bytes are: a file path, or an s3:// URL. */
  location: string;
  /** When it was last stored: a put of content already there refreshes it. */
  storedAt: Date;
}

/** One artifact of the store, as list() gives it. */
export interface StoredArtifact {
  /** 'sha256:<hex>' */
  readonly artifact: string;
  readonly size: number;
  /** When it was last stored: a put of content already there refreshes it. */
  readonly storedAt: Date;
}

/** What delete() needs besides the id. */
export interface DeleteArtifactOptions {
  /**
   * Delete only an artifact last stored before this time, checked when it is deleted: one
   * stored (or stored again) since is kept, so a writer that just put the same content keeps it.
   */
  readonly storedBefore?: Date;
}

/** What delete() did: deleted it, found nothing, or kept it (stored since `storedBefore`). */
export type DeleteArtifactOutcome = 'deleted' | 'absent' | 'kept';

/** Bytes to store from a stream: a Node Readable or any async iterable of byte chunks. */
export type ArtifactSource = Readable | AsyncIterable<Uint8Array>;

/** A content-addressed store of artifacts: bytes stored once under their sha256, verified on read. */
export interface ArtifactStore {
  /** Where the store is, for messages: a directory, or `s3://bucket/prefix`. */
  readonly location: string;
  /** Stores `content` (a string is stored as UTF-8) and returns its reference. */
  put(content: Uint8Array | string, options: PutArtifactOptions): Promise<ArtifactRef>;
  /**
   * Stores the bytes of a stream without holding them all in memory, and returns the reference.
   * Storing content that is already there leaves it as it is.
   */
  putStream(source: ArtifactSource, options: PutArtifactOptions): Promise<ArtifactRef>;
  /** Reads an artifact's bytes and verifies their sha256 (NotFoundError when missing). */
  read(id: ArtifactId): Promise<Buffer>;
  /**
   * Opens a stream of an artifact's bytes (NotFoundError when missing); the stream errors with
   * ArtifactIntegrityError at its end when the bytes do not match the hash.
   */
  openReadStream(id: ArtifactId): Promise<Readable>;
  /** True when the artifact is stored (its content is not verified). */
  has(id: ArtifactId): Promise<boolean>;
  /** Size, location and time of storage of an artifact, or undefined when it is not stored. */
  stat(id: ArtifactId): Promise<ArtifactStat | undefined>;
  /**
   * Every stored artifact, read page by page (a directory at a time, a ListObjectsV2 page at a
   * time), never all at once; in no particular order.
   */
  list(): AsyncIterable<StoredArtifact>;
  /** Deletes an artifact (see DeleteArtifactOptions for the check that keeps a fresh one). */
  delete(id: ArtifactId, options?: DeleteArtifactOptions): Promise<DeleteArtifactOutcome>;
}
