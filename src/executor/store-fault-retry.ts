// When an artifact store fails under a step (a full disk, a file-size limit, a failing file
// system), the step is the machine's victim, not the asset's: it is handed back and tried again
// later, spending none of the asset's retry budget. The waits double from the worker's
// storeRetryMs up to a minute, so that a disk every worker shares does not turn into a busy loop;
// after storeRetries hand-backs the next failure counts as the asset's own (its retry policy
// applies, and the run ends if it has none), so a disk that never recovers does not hang a run.

/** The longest wait between two tries of a step whose artifact store failed. */
export const MAX_STORE_RETRY_MS = 60_000;

/** The error name recorded on attempts handed back for an artifact-store failure. */
export const STORE_FAULT_ERROR_NAME = 'ArtifactStoreFault';

/** What a store failure of an attempt leads to. */
export type StoreFaultDecision =
  { readonly kind: 'hand_back'; readonly delayMs: number } | { readonly kind: 'fail' };

/**
 * Decides what to do with an attempt whose artifact store failed, given how many earlier
 * attempts of the step were handed back for the same reason.
 */
export function decideStoreFault(
  earlierFaults: number,
  policy: { readonly firstDelayMs: number; readonly limit: number },
): StoreFaultDecision {
  if (earlierFaults >= policy.limit) return { kind: 'fail' };
  return {
    kind: 'hand_back',
    delayMs: Math.min(MAX_STORE_RETRY_MS, policy.firstDelayMs * 2 ** earlierFaults),
  };
}
