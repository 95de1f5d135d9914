// The hold on a tool call's idempotency key, in PostgreSQL (the one control plane every worker
// shares, on any machine): taken before the call, released with the call's record, so two
// callers of one key never both send it. A second caller waits, polling with a bounded backoff,
// and takes the hold over only when the holder's worker is no longer alive (lost or stopped), or
// when the holder is its own worker process and no call of the key is in flight in it (a hold
// left behind by a failed release).
import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { EnvironmentError, StrataError, UserCodeError } from '../errors.js';
import type { Database } from '../store/index.js';
import {
  deleteToolCallHold,
  insertToolCallHold,
  selectToolCallHolder,
  takeOverToolCallHold,
  type HeldBy,
  type ToolCallHolder,
} from './sql/tool-call-holds.js';

/** First and longest pause between two looks at a held key, in ms. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 500;

/**
 * Calls in flight in this process by `workerId \0 key`, counted (the next holder of a key may
 * take it before the last one's bookkeeping ends): how a worker tells its own stale holds.
 */
const heldHere = new Map<string, number>();

/** The call a hold is for. */
export interface HoldRequest extends ToolCallHolder {
  readonly key: string;
  readonly server: string;
  readonly tool: string;
}

/** What taking a hold went through; `takenOverFrom` is set when a gone holder's hold was taken. */
export interface Hold {
  readonly request: HoldRequest;
  readonly waitedMs: number;
  readonly takenOverFrom: HeldBy | undefined;
}

/** Names a call in messages: `server.tool (idempotency key k)`. */
export function describeCall(call: {
  readonly server: string;
  readonly tool: string;
  readonly key: string;
}): string {
  return `tool ${call.server}.${call.tool} (idempotency key ${call.key})`;
}

/**
 * Holds `request.key` for `request`'s worker and attempt: at once when nobody holds it, else
 * after waiting for the holder to release it or to be gone. Rejects when `signal` aborts while
 * waiting (cancellation, timeout) and when the database fails.
 */
export async function acquireToolCallHold(
  db: Kysely<Database>,
  request: HoldRequest,
  signal: AbortSignal,
): Promise<Hold> {
  const startedAt = Date.now();
  const here = `${request.workerId}\u0000${request.key}`;
  let pause = FIRST_POLL_MS;
  let heldBy: HeldBy | undefined;
  try {
    for (;;) {
      if (signal.aborted) throw interrupted(request, signal, heldBy);
      if (await insertToolCallHold(db, request)) {
        heldHere.set(here, (heldHere.get(here) ?? 0) + 1);
        return { request, waitedMs: Date.now() - startedAt, takenOverFrom: undefined };
      }
      heldBy = await selectToolCallHolder(db, request.key);
      if (heldBy === undefined) continue; // released in between: try again at once
      if (isGone(heldBy, request.workerId, heldHere.has(here))) {
        if (await takeOverToolCallHold(db, request.key, heldBy, request)) {
          heldHere.set(here, (heldHere.get(here) ?? 0) + 1);
          return { request, waitedMs: Date.now() - startedAt, takenOverFrom: heldBy };
        }
        continue; // another waiter took it first
      }
      try {
        await delay(pause, undefined, { signal });
      } catch {
        throw interrupted(request, signal, heldBy);
      }
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  } catch (error) {
    if (error instanceof StrataError) throw error;
    throw new EnvironmentError(
      `${describeCall(request)}: could not hold its idempotency key: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Releases `hold` inside `db` (the transaction recording the call). Call `forgetHold` after
 * the transaction, whether it committed or not.
 */
export async function releaseToolCallHold(db: Kysely<Database>, hold: Hold): Promise<void> {
  await deleteToolCallHold(db, hold.request.key, hold.request);
}

/** This process no longer holds `hold` (released, or left for a later caller to take over). */
export function forgetHold(hold: Hold): void {
  const here = `${hold.request.workerId}\u0000${hold.request.key}`;
  const count = (heldHere.get(here) ?? 0) - 1;
  if (count > 0) heldHere.set(here, count);
  else heldHere.delete(here);
}

/** Whether a holder can no longer release its hold, so a waiter may take it over. */
function isGone(heldBy: HeldBy, myWorkerId: string, inFlightHere: boolean): boolean {
  if (heldBy.workerStatus !== 'alive') return true;
  return heldBy.workerId === myWorkerId && !inFlightHere;
}

function interrupted(request: HoldRequest, signal: AbortSignal, heldBy?: HeldBy): UserCodeError {
  const holder = heldBy ? `, held by attempt ${heldBy.attemptId} of worker ${heldBy.workerId}` : '';
  return new UserCodeError(
    `${describeCall(request)} was not called: the attempt was cancelled or timed out while waiting for its idempotency key${holder}`,
    { cause: signal.reason, retryable: false },
  );
}
