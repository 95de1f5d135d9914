// Revising a plan (docs/plans.md): plans are immutable once proposed, so a revision is a new plan
// whose `predecessor` names the one it revises. Its document is the predecessor's with changes
// merged over it as a JSON merge patch (RFC 7396: objects merged key by key, arrays and scalars
// replaced, null removes a field), then checked like any other plan, and proposed.
import { UsageError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import { planDiff, type PlanChange } from './plan-diff.js';
import { PlanValidationError } from './plan-issues.js';
import type { ExperimentPlan } from './plan-schema.js';
import type { StoredPlan } from './plan-store.js';
import { validateExperimentPlan } from './validate-plan.js';

/** The document of a revision, checked, and what it changes from its predecessor. */
export interface PlanRevision {
  readonly document: ExperimentPlan;
  readonly changes: PlanChange[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `patch` merged over `target` (RFC 7396); neither is modified. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const merged = new Map(Object.entries(isObject(target) ? target : {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, mergePatch(merged.get(key), value));
  }
  // fromEntries defines own properties: a key such as "__proto__" stays a (refused) field.
  return Object.fromEntries(merged);
}

/**
 * The document of a revision of plan `predecessor`: `changes` merged over its document, with
 * `predecessor` set to its id. Naming another predecessor in `changes` is an error.
 */
export function revisedPlanDocument(
  predecessor: Pick<StoredPlan, 'id' | 'document'>,
  changes: Readonly<Record<string, unknown>>,
): unknown {
  const named = changes.predecessor;
  if (named !== undefined && named !== predecessor.id)
    throw new PlanValidationError([
      {
        path: 'predecessor',
        message: `a revision of ${predecessor.id} names it as its predecessor (leave predecessor out of the changes)`,
      },
    ]);
  return { ...(mergePatch(predecessor.document, changes) as object), predecessor: predecessor.id };
}

/**
 * The revision of `predecessor` that `changes` make, checked against the definitions of `graph`
 * like a proposal (PlanValidationError with every problem), with its changes from the
 * predecessor; propose its document with proposePlan. Changes that change nothing but the
 * predecessor are refused.
 */
export function planRevision(
  graph: AssetGraph,
  predecessor: Pick<StoredPlan, 'id' | 'document'>,
  changes: Readonly<Record<string, unknown>>,
): PlanRevision {
  const document = validateExperimentPlan(revisedPlanDocument(predecessor, changes), graph);
  const diff = planDiff(predecessor.document, document);
  if (diff.every((change) => change.path === 'predecessor'))
    throw new UsageError(`the changes leave plan ${predecessor.id} as it is`, {
      hint: 'name the fields to change, e.g. { "doe": { "samples": 24 } }; null removes one',
    });
  return { document, changes: diff };
}
