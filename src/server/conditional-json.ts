// A JSON answer that a client need not download twice: a weak ETag (a hash of the text, the
// same for every encoding), 304 Not Modified when If-None-Match names it, `Cache-Control:
// no-cache` (the browser keeps the body and asks again each time, so it never shows an old one),
// and gzip when the client accepts it. The compressed bytes of the last text are kept, so an
// unchanged document is compressed once, not per request.
import { hash } from 'node:crypto';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { Context } from 'hono';

const gzipAsync = promisify(gzip);

/** Below this many bytes a body is sent as it is (compressing it saves nothing that matters). */
const COMPRESS_ABOVE = 16 * 1024;

/** The weak ETag of a JSON text. */
export function etagOf(text: string): string {
  return `W/"${hash('sha1', text, 'base64url')}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison, `*` included). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === bare);
}

/** Whether an Accept-Encoding header accepts gzip (a q of 0 refuses it). */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Sends JSON texts with ETags and (cached) gzip; one per route. */
export class ConditionalJson {
  #last: { etag: string; gzipped: Promise<Buffer> } | undefined;

  /**
   * The answer to `c` for the JSON `text` with `etag` (default: its hash; a caller may hash
   * only what says what changed, without a time of evaluation that changes every request).
   */
  async respond(c: Context, text: string, etag: string = etagOf(text)): Promise<Response> {
    const headers: Record<string, string> = {
      ETag: etag,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
    };
    if (matchesEtag(c.req.header('If-None-Match'), etag))
      return new Response(null, { status: 304, headers });
    headers['Content-Type'] = 'application/json; charset=UTF-8';
    if (text.length < COMPRESS_ABOVE || !acceptsGzip(c.req.header('Accept-Encoding')))
      return new Response(text, { status: 200, headers });
    let last = this.#last;
    if (last?.etag !== etag) {
      last = { etag, gzipped: gzipAsync(text, { level: constants.Z_BEST_SPEED }) };
      this.#last = last;
      last.gzipped.catch(() => (this.#last = undefined));
    }
    const body = await last.gzipped;
    headers['Content-Encoding'] = 'gzip';
    return new Response(body, { status: 200, headers });
  }
}
