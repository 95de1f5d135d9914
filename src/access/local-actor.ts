// Who acts when the CLI works on the database directly (no server, no token): the operating
// system's user on this host, recorded with what they did.
import { hostname, userInfo } from 'node:os';

/** `user@host` of this process. */
export function localActor(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}
