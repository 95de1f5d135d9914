// GET /api/artifacts/{sha256}: downloads a stored artifact with its recorded content type. The
// bytes are verified against the hash before the response starts (small artifacts are held in
// memory, large ones are read twice), so a tampered file is a 500 JSON error, never bad bytes.
// Content is served in a CSP sandbox: an SVG or HTML artifact cannot run script as the API.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { parseArtifactHash } from '../../artifacts/index.js';
import { ApiError } from '../api-error.js';
import { toApiError } from '../error-response.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import { booleanParam } from '../validation.js';
import { loadArtifactRecord } from '../views/artifact-query.js';

/** Artifacts up to this size are verified in memory; larger ones are read twice. */
const IN_MEMORY_LIMIT_BYTES = 8 * 1024 * 1024;

const getArtifact = defineRoute({
  method: 'get',
  path: '/api/artifacts/{sha256}',
  operationId: 'getArtifact',
  tag: 'artifacts',
  summary: 'Download an artifact by its content hash (integrity checked)',
  description:
    'The recorded content type, an immutable ETag, and `Content-Disposition` with the name ' +
    'it was attached under (attachment with download=true). A stored file whose bytes no ' +
    'longer match the hash is answered with 500 and details.reason "artifact_corrupted".',
  params: z.object({
    sha256: z.string().max(100).meta({ description: '64 lowercase hex digits, or sha256:<hex>' }),
  }),
  query: z.strictObject({ download: booleanParam.optional() }),
  responses: [
    { status: 200, description: 'the bytes', contentType: 'application/octet-stream' },
    { status: 304, description: 'not modified (If-None-Match)' },
    { status: 400, description: 'malformed hash', schema: ErrorResponse },
    { status: 404, description: 'unknown artifact', schema: ErrorResponse },
    { status: 500, description: 'the stored bytes are corrupted', schema: ErrorResponse },
  ],
  async handle({ params, query, c, server }) {
    let hex: string;
    try {
      hex = parseArtifactHash(params.sha256);
    } catch (caught) {
      throw toApiError(caught, 'sha256');
    }
    const record = await loadArtifactRecord(server.db, hex);
    if (record === undefined) {
      throw new ApiError(404, `artifact sha256:${hex} is not recorded`, { field: 'sha256' });
    }
    const etag = `"${hex}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'private, max-age=31536000, immutable');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header(
      'Content-Security-Policy',
      "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    );
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    const name = record.name ?? `${hex}.bin`;
    c.header('Content-Type', record.contentType);
    c.header(
      'Content-Disposition',
      `${query.download === true ? 'attachment' : 'inline'}; filename="${asciiName(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    const { artifacts } = server;
    if (record.size <= IN_MEMORY_LIMIT_BYTES) {
      const bytes = await collect(await artifacts.openReadStream(hex));
      c.header('Content-Length', String(bytes.byteLength));
      return c.body(new Uint8Array(bytes), 200);
    }
    await drain(await artifacts.openReadStream(hex)); // verifies the whole file first
    const stream = await artifacts.openReadStream(hex); // errors at its end if altered meanwhile
    return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200);
  },
});

/** All bytes of a verifying stream (it errors on a hash mismatch). */
async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads a verifying stream to its end, discarding the bytes. */
async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // only the verification at the end matters
  }
}

/** The name with non-ASCII and quoting characters replaced, for the plain filename parameter. */
function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}

/** The artifact routes. */
export const artifactRoutes: readonly ApiRoute[] = [getArtifact];
