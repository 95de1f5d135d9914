// How a materialization that is not recorded yet is named in memory (chain fusion,
// fuse-chain.ts): by the negated id of the step that will record it, in the same completion.
// Materialization ids are positive, so the two never meet; the completion's request names such
// an input by its step (complete-steps-call.ts), and the function resolves it.

/** The stand-in id of the materialization step `stepId` will record. */
export function pendingMaterializationId(stepId: number): number {
  return -stepId;
}

/** The step whose pending materialization `materializationId` stands for, if it is one. */
export function stepOfPendingMaterialization(materializationId: number): number | undefined {
  return materializationId < 0 ? -materializationId : undefined;
}
