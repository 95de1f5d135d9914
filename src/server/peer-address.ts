// Where a request comes from, as recorded with what it did (a plan's transitions, MCP proposals).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The peer address of the request, or `unknown` when no socket serves it (app.request in tests). */
export function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
