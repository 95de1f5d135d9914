// The just-in-time guard of blocking checks: before a step computes, the materializations it
// would read are checked against the latest verdicts of their assets' blocking checks (one query
// for a batch, none when no input's asset has a blocking check). However a step came to read a
// failed materialization (planned before the check failed, another run, an early cutoff), it
// fails instead of consuming it.
import type { Kysely } from 'kysely';
import type { AssetKey } from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import { loadFailedChecks, type RecordedInput } from '../provenance/index.js';
import type { Database } from '../store/index.js';

/** An input a step refuses: which partition, which materialization, and the checks it failed. */
export interface BlockedInput {
  readonly input: string;
  readonly materializationId: number;
  readonly checks: readonly string[];
}

/** The stored name of BlockedInputError: such a failure is final, never retried. */
export const BLOCKED_INPUT_ERROR_NAME = 'BlockedInputError';

/** A step would read a materialization that failed a blocking check. Not retried. */
export class BlockedInputError extends UserCodeError {
  constructor(label: string, blocked: readonly BlockedInput[]) {
    const [first] = blocked;
    const more = blocked.length > 1 ? ` (and ${blocked.length - 1} more inputs)` : '';
    super(
      `${label} cannot run: input ${first!.input} (materialization ${first!.materializationId}) failed blocking check ${first!.checks.join(', ')}${more}`,
      {
        hint: `fix ${first!.input} and rebuild it, or fix the check and run \`strata check ${first!.input.replace(/\[.*$/, '')}\``,
        retryable: false,
      },
    );
  }
}

/**
 * Of `inputs`, the materializations a blocking check (as declared now) failed: materialization
 * id -> the failing checks' names.
 */
export async function blockedInputsOf(
  db: Kysely<Database>,
  graph: AssetGraph,
  inputs: readonly RecordedInput[],
): Promise<Map<number, string[]>> {
  const guarded = inputs.filter(
    (input) => graph.has(input.depKey) && graph.hasBlockingCheck(input.depKey as AssetKey),
  );
  const blocked = new Map<number, string[]>();
  if (guarded.length === 0) return blocked;
  const assetOf = new Map(guarded.map((input) => [input.materializationId, input.depKey]));
  const failed = await loadFailedChecks(db, [...assetOf.keys()]);
  for (const [id, names] of failed) {
    const blocking = new Set(
      graph
        .checksOf(assetOf.get(id) as AssetKey)
        .filter((c) => c.blocking)
        .map((c) => c.name),
    );
    const failing = names.filter((name) => blocking.has(name));
    if (failing.length > 0) blocked.set(id, failing);
  }
  return blocked;
}
