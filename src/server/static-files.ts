// Serves the built UI from a directory: files by path, index.html for `/` and for client-side
// routes (paths without an extension), under a Content-Security-Policy that only lets the UI
// load and connect to this server. A request can never read outside the directory: the decoded
// path is resolved against the root and refused unless it stays inside, and symbolic links are
// followed before the check.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * The policy of UI responses: everything from this server only (inline styles for computed
 * positions, data:/blob: images for exports, blob: workers for layout off the main thread), and
 * never inside a frame.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
].join('; ');

/** The file under `root` that `urlPath` names, or undefined when it would leave the root. */
export async function resolveStaticPath(
  root: string,
  urlPath: string,
): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const realRoot = await realpath(root);
  const candidate = resolve(realRoot, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (!inside(realRoot, candidate)) return undefined;
  try {
    const real = await realpath(candidate);
    return inside(realRoot, real) ? real : undefined;
  } catch {
    return candidate; // does not exist (yet): the caller's stat says so
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** The middleware serving GET/HEAD requests outside /api from `root`. */
export function staticFiles(root: string): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || c.req.path.startsWith('/api/')) return next();
    const rawPath = new URL(c.req.url).pathname;
    const path = await resolveStaticPath(root, rawPath);
    if (path === undefined) throw new ApiError(404, `no such file: ${rawPath}`);
    let file = path;
    let stats = await stat(file).catch(() => undefined);
    if (stats?.isDirectory()) {
      file = join(file, 'index.html');
      stats = await stat(file).catch(() => undefined);
    } else if (stats === undefined && extname(file) === '') {
      file = join(resolve(root), 'index.html'); // a client-side route of the UI
      stats = await stat(file).catch(() => undefined);
    }
    if (!stats?.isFile()) throw new ApiError(404, `no such file: ${rawPath}`);
    c.header(
      'Content-Type',
      CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    );
    c.header('Content-Length', String(stats.size));
    c.header('Cache-Control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=300');
    c.header('Content-Security-Policy', UI_CONTENT_SECURITY_POLICY);
    if (method === 'HEAD') return c.body(null, 200);
    return c.body(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, 200);
  };
}
