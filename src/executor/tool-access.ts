// `ctx.tools` of one attempt: calls tool servers with an idempotency key derived from the step's
// inputs, holding the key in PostgreSQL while the call is in flight (so no other worker or
// attempt sends it at the same time), turns tool errors into step failures with the tool's
// message, and records each call (its arguments readable, credentials redacted), releasing the
// hold in the same transaction.
import type { Kysely } from 'kysely';
import {
  IDEMPOTENCY_META_KEY,
  type ToolAccess,
  type ToolCallResult,
} from '../definitions/index.js';
import { EnvironmentError, UserCodeError } from '../errors.js';
import { recordedArguments } from '../provenance/index.js';
import type { Database, StepRow } from '../store/index.js';
import { canonicalJson, sha256Hex } from '../util/canonical-json.js';
import type { ClaimedStep } from './claim-steps.js';
import { insertToolCall } from './sql/insert-tool-call.js';
import { chargeToolCall } from './tool-budget.js';
import { throttledProgress } from './tool-progress.js';
import {
  acquireToolCallHold,
  describeCall,
  forgetHold,
  releaseToolCallHold,
  type Hold,
} from './tool-call-hold.js';
import type { WorkerRuntime } from './worker-runtime.js';

/**
 * The MCP SDK ends a request after 60 s unless told otherwise, which would cut off every long CAD
 * or solver call. A call lasts as long as its attempt instead (the asset's timeout and
 * cancellation end it through the signal): this is setTimeout's largest delay, about 24.8 days.
 */
const UNBOUNDED_REQUEST_MS = 2_147_483_647;

interface ContentItem {
  type: string;
  text?: string;
}

/** What tool access needs of a claimed step: its attempt and the step's ids and asset. */
export type ToolCallingAttempt = Pick<ClaimedStep, 'attemptId'> & {
  readonly step: Pick<StepRow, 'id' | 'run_id' | 'asset_key'>;
};

/**
 * The tool access of `claim`'s attempt; `stepKey` is the step's idempotency key and `signal`
 * the compute's own (ctx.signal): aborted at cancellation and at the asset's timeout, it ends
 * calls and waits for held keys alike. `logProgress` hears the calls' progress notifications
 * (./tool-progress.ts: the first of each call, then one per half minute).
 */
export function toolAccess(
  runtime: Pick<WorkerRuntime, 'db' | 'graph' | 'tools' | 'workerId'>,
  claim: ToolCallingAttempt,
  stepKey: string,
  signal: AbortSignal,
  logProgress?: (line: string, data: Readonly<Record<string, unknown>>) => void,
): ToolAccess & { readonly calls: number } {
  let calls = 0;
  const access = {
    get calls() {
      return calls;
    },
    async call<T = Record<string, unknown>>(
      server: string,
      tool: string,
      args: Readonly<Record<string, unknown>>,
    ): Promise<ToolCallResult<T>> {
      await runtime.tools.get(server); // an unknown server fails before any waiting
      const canonical = canonicalJson(args);
      const argumentHash = sha256Hex(canonical); // hashJson(args)
      const key = toolCallKey(stepKey, server, tool, argumentHash);
      const hold = await acquireToolCallHold(
        runtime.db,
        { key, server, tool, workerId: runtime.workerId, attemptId: claim.attemptId },
        signal,
      );
      const abandon = async (cause: unknown): Promise<never> => {
        await releaseToolCallHold(runtime.db, hold).catch(() => undefined);
        forgetHold(hold);
        throw cause;
      };
      // Again: the server may have exited while the key was held elsewhere (it is restarted).
      const connected = await runtime.tools.get(server).catch(abandon);
      const { client, version } = connected;
      // An experiment plan's run spends the plan's budget (tool-budget.ts) before sending.
      await chargeToolCall(runtime.db, claim.step.run_id, `${server}.${tool}`).catch(abandon);
      const startedAt = new Date();
      let error: string | undefined;
      let result: ToolCallResult<T> | undefined;
      try {
        const response = await client.callTool(
          { name: tool, arguments: { ...args }, _meta: { [IDEMPOTENCY_META_KEY]: key } },
          undefined,
          {
            signal,
            timeout: UNBOUNDED_REQUEST_MS,
            ...(logProgress ? { onprogress: throttledProgress(server, tool, logProgress) } : {}),
          },
        );
        const text = ((response.content ?? []) as ContentItem[])
          .filter((c) => c.type === 'text')
          .map((c) => c.text ?? '')
          .join('\n');
        if (response.isError) error = text || `tool ${server}.${tool} failed`;
        else {
          const structured = (response.structuredContent ?? {}) as T & { id?: unknown };
          result = {
            structured,
            text,
            resultId: typeof structured.id === 'string' ? structured.id : undefined,
          };
        }
      } catch (cause) {
        error = (cause as Error).message;
        await runtime.tools.forgetAfterFailure(server, connected);
      }
      calls++;
      await recordAndRelease(runtime.db, hold, {
        run_id: claim.step.run_id,
        step_id: claim.step.id,
        attempt_id: claim.attemptId,
        server,
        tool,
        tool_version: version ?? null,
        argument_hash: argumentHash,
        arguments: recordedArguments(canonical, argumentHash),
        idempotency_key: key,
        result_id: result?.resultId ?? null,
        status: error === undefined ? 'succeeded' : 'failed',
        error: error ?? null,
        started_at: startedAt,
        duration_ms: Date.now() - startedAt.getTime(),
        waited_ms: hold.waitedMs,
        took_over_from_attempt_id: hold.takenOverFrom?.attemptId ?? null,
      });
      if (error !== undefined || !result)
        throw new UserCodeError(`tool ${server}.${tool} failed: ${error}`);
      return result;
    },
  };
  return access;
}

/**
 * The idempotency key of a tool call: sha256 of the step's idempotency key, the server, the tool
 * and the hash of the canonical arguments (`hashJson(args)`), 32 hex digits.
 */
export function toolCallKey(
  stepKey: string,
  server: string,
  tool: string,
  argumentHash: string,
): string {
  return sha256Hex(`${stepKey}\u0000${server}\u0000${tool}\u0000${argumentHash}`).slice(0, 32);
}

/**
 * Records the call and releases its hold in one transaction. If that fails, releases the hold
 * on its own (best effort) so the key is not left held by a live worker, and reports the failure.
 */
async function recordAndRelease(
  db: Kysely<Database>,
  hold: Hold,
  call: Parameters<typeof insertToolCall>[1],
): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      await insertToolCall(trx, call);
      await releaseToolCallHold(trx, hold);
    });
  } catch (cause) {
    await releaseToolCallHold(db, hold).catch(() => undefined);
    throw new EnvironmentError(
      `${describeCall(hold.request)}: could not record the call: ${(cause as Error).message}`,
      { cause },
    );
  } finally {
    forgetHold(hold);
  }
}
