// Whether the caller may act on backfills (create, pause, resume, cancel, retry), from who the
// server takes it for: a role without `run` sees no action buttons (as on the plan page), a
// read-only server shows them disabled with the reason. The server checks again: a hidden or
// disabled button is a courtesy, not the protection.
import type { Session } from '../api/types.js';

/** What the caller may do with backfills, and why not. */
export type BackfillPermission =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'read-only'; readonly reason: string }
  | { readonly kind: 'forbidden'; readonly reason: string };

/** The permission of `session` (undefined: not known, so nothing is offered). */
export function backfillPermission(session: Session | undefined): BackfillPermission {
  if (session === undefined)
    return { kind: 'forbidden', reason: 'Who you are could not be read from the server.' };
  if (!session.capabilities.includes('run'))
    return {
      kind: 'forbidden',
      reason: `As ${session.name} (${session.role}) you may look at backfills, not start or change them: that needs a role that may run (operator, approver, admin).`,
    };
  if (session.readOnly)
    return {
      kind: 'read-only',
      reason: 'This server is read-only (strata serve --read-only): it starts and changes nothing.',
    };
  return { kind: 'allowed' };
}
