// Who acts when the CLI works on the database directly (no server, no token): the operating
// system's user on this host, recorded with what they did.
import { userInfo } from 'node:os';
import { hostName } from '../util/host-name.js';

/** `user@host` of this process. */
export function localActor(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return `${user}@${hostName()}`;
}
