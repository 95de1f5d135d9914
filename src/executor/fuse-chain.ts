// Chain fusion (docs/architecture.md, "Chain fusion"): a worker that computed a fast step whose
// only dependant waits on it alone computes that dependant right away, in memory, with the
// step's value as its input, and so on down the line while the commit window lasts; then one
// completion records them all (migrations/0018_chain_fusion.sql). A run of fast steps costs one
// round trip and one commit per window instead of two round trips and a commit per step, the
// way a batch of independent steps already does.
//
// Nothing of a fused step is written before that completion commits, so a worker that dies
// meanwhile leaves it waiting, exactly as if it had never been computed; the completion claims
// it as an adoption would, or refuses the whole fusion (then the step runs again under an
// ordinary claim). Only what can be redone at no cost is fused: fusion-decision.ts.
import { computeStep } from './compute-step.js';
import type { ClaimedStep } from './claim-steps.js';
import { fitsOneCall, type CompletedStep, type FusedLog } from './completion-decision.js';
import { decideSteps } from './decide-steps.js';
import { fusionVerdict } from './fusion-decision.js';
import { pendingMaterializationId } from './pending-materialization.js';
import { chainSuccessors, type ChainSuccessor } from './sql/chain-successors.js';
import { pairKey, type PendingOutput } from './step-inputs.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** How many successors the first read looks ahead; each further read looks this much farther. */
const FIRST_LOOKAHEAD = 8;
const LOOKAHEAD_GROWTH = 8;
const MAX_LOOKAHEAD = 256;

/** The attempt id of a fused step until its completion draws one (ids start at 1). */
const UNDRAWN_ATTEMPT = 0;

/** The output `done` records, as the next fused step reads it; undefined for an early cutoff. */
function pendingOutputOf(done: CompletedStep): PendingOutput | undefined {
  if (done.outcome.kind === 'fresh') return undefined;
  const { record } = done.outcome;
  return {
    materializationId: pendingMaterializationId(done.claim.step.id),
    dataVersion: record.dataVersion,
    // What the database would give back: JSON, a copy no later step can change.
    value: JSON.parse(JSON.stringify(record.value ?? null)) as unknown,
  };
}

/** Decides and computes one fused step; undefined when it is not to be recorded fused. */
async function computeFused(
  runtime: WorkerRuntime,
  successor: ChainSuccessor,
  previous: CompletedStep,
  signal: AbortSignal,
): Promise<CompletedStep | undefined> {
  const claim: ClaimedStep = {
    step: successor.step,
    run: previous.claim.run,
    runOptions: previous.claim.runOptions,
    attemptId: UNDRAWN_ATTEMPT,
    attemptNumber: successor.step.attempts + 1,
  };
  const output = pendingOutputOf(previous);
  const pending = new Map<string, PendingOutput>();
  if (output !== undefined)
    pending.set(pairKey(previous.claim.step.asset_key, previous.claim.step.partition_key), output);
  const latest = new Map([
    [pairKey(claim.step.asset_key, claim.step.partition_key), successor.latest],
  ]);
  const [decision] = await decideSteps(runtime, [claim], { pending, latest });
  if (decision === undefined || decision.kind === 'error') return undefined;
  const logs: FusedLog[] = [];
  let outcome: CompletedStep['outcome'];
  if (decision.kind === 'done') outcome = decision.outcome;
  else {
    try {
      outcome = await computeStep(
        runtime,
        claim,
        decision.inputHash,
        decision.inputs,
        decision.values,
        signal,
        { kind: 'fused', logs },
      );
    } catch {
      // A failure, a timeout, a cancellation, a store fault or a tool call (FusionAbandonedError):
      // the step runs again under its own attempt, where each is handled and counted as usual.
      return undefined;
    }
  }
  const done: CompletedStep = { claim, outcome, fused: { after: previous.claim.step.id, logs } };
  return fitsOneCall([done]) ? done : undefined;
}

/**
 * The steps fused after `head` (computed, not yet recorded), until `deadline` (ms since the
 * epoch) or the first step that is not to be fused. `signal` is the head's attempt's: cancelling
 * the run ends the fusion, as does stopping the worker.
 */
export async function fuseChain(
  runtime: WorkerRuntime,
  head: CompletedStep,
  signal: AbortSignal,
  deadline: number,
): Promise<CompletedStep[]> {
  // A step materialized for the first time is most likely followed by steps never computed
  // either, which are not fused: the read ahead would be wasted.
  if (!fitsOneCall([head]) || head.claim.step.reasons.status === 'missing') return [];
  // Cancelling the run or stopping the worker ends the fusion: a fused compute is given up (it
  // runs again under an ordinary claim). Listeners on those long-lived signals are removed after.
  const fusion = new AbortController();
  const endFusion = (): void => fusion.abort();
  const sources = [signal, runtime.stopSignal];
  for (const source of sources)
    if (source.aborted) fusion.abort();
    else source.addEventListener('abort', endFusion, { once: true });
  try {
    return await fuseLine(runtime, head, fusion.signal, deadline);
  } finally {
    for (const source of sources) source.removeEventListener('abort', endFusion);
  }
}

/** Computes one fused step; gives it up when `fusion` ends or at `deadline`. */
async function computeBeforeDeadline(
  runtime: WorkerRuntime,
  successor: ChainSuccessor,
  previous: CompletedStep,
  fusion: AbortSignal,
  deadline: number,
): Promise<CompletedStep | undefined> {
  // A step slower than its history is given up at the window's end (its compute is told to stop
  // and not waited for): the line is recorded, and the step runs under its own attempt, shown
  // running like any other.
  const step = new AbortController();
  const giveUp = (): void => step.abort();
  fusion.addEventListener('abort', giveUp, { once: true });
  const timer = setTimeout(giveUp, Math.max(0, deadline - Date.now()));
  try {
    return await computeFused(runtime, successor, previous, step.signal);
  } finally {
    clearTimeout(timer);
    fusion.removeEventListener('abort', giveUp);
  }
}

/** The steps fused after `head` until `deadline`, the first step not fused, or `fusion` ends. */
async function fuseLine(
  runtime: WorkerRuntime,
  head: CompletedStep,
  fusion: AbortSignal,
  deadline: number,
): Promise<CompletedStep[]> {
  const fused: CompletedStep[] = [];
  let previous = head;
  for (
    let lookahead = FIRST_LOOKAHEAD;
    ;
    lookahead = Math.min(MAX_LOOKAHEAD, lookahead * LOOKAHEAD_GROWTH)
  ) {
    const successors = await chainSuccessors(runtime.db, previous.claim.step.id, lookahead);
    for (const successor of successors) {
      const remaining = deadline - Date.now();
      const verdict = fusionVerdict(runtime.graph, successor, remaining, fusion.aborted);
      if (!verdict.fuse) return fused;
      const done = await computeBeforeDeadline(runtime, successor, previous, fusion, deadline);
      if (done === undefined) return fused;
      fused.push(done);
      previous = done;
    }
    if (successors.length < lookahead) return fused;
  }
}
