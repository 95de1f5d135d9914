// What changed from one experiment plan to another, field by field (`strata plans diff`, the MCP
// tools revise_plan and diff_plans; docs/plans.md): a pure structural diff of the two documents.
// Paths are those of validation issues (`variables.height_m.max`, `checkpoints[0].note`). The
// order is stable whatever the documents' key order (stored plans come back from jsonb with
// their keys reordered): the plan's fields in the schema's order, keys inside them sorted, also
// in the values a change carries.
import { fieldPath } from './plan-issues.js';
import { ExperimentPlanSchema, type ExperimentPlan } from './plan-schema.js';

/** How a field changed: it appeared, it disappeared, or its value differs. */
export type PlanChangeKind = 'added' | 'removed' | 'changed';

/** One change from plan `a` to plan `b`. */
export interface PlanChange {
  /** The field: `doe.samples`, `checkpoints[1]`, `levels.material[0]`. */
  readonly path: string;
  readonly kind: PlanChangeKind;
  /** The value in `a` (removed, changed). */
  readonly before?: unknown;
  /** The value in `b` (added, changed). */
  readonly after?: unknown;
}

/** The plan's fields in the order the schema declares them. */
const FIELD_ORDER: readonly string[] = Object.keys(ExperimentPlanSchema.shape);

/**
 * The changes from plan `a` to plan `b`, empty when they are equal. Objects are compared key by
 * key; lists of scalars (levels) as lists: an element dropped is `removed` at its index in `a`,
 * one inserted `added` at its index in `b`; other lists (checkpoints, points) item by item at
 * the same index. A field that appears or disappears whole is one change carrying its value.
 */
export function planDiff(a: ExperimentPlan, b: ExperimentPlan): PlanChange[] {
  const changes: PlanChange[] = [];
  diffValues([], a, b, changes);
  return changes.map((change) => ({
    ...change,
    ...('before' in change && { before: sortedKeys(change.before) }),
    ...('after' in change && { after: sortedKeys(change.after) }),
  }));
}

type Json = unknown;
type Path = readonly (string | number)[];

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: Json): boolean {
  return value === null || typeof value !== 'object';
}

function diffValues(path: Path, a: Json, b: Json, changes: PlanChange[]): void {
  if (isObject(a) && isObject(b)) diffObjects(path, a, b, changes);
  else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.every(isScalar) && b.every(isScalar)) diffScalarLists(path, a, b, changes);
    else diffItems(path, a, b, changes);
  } else if (!(isScalar(a) && isScalar(b) && a === b))
    changes.push({ path: fieldPath(path), kind: 'changed', before: a, after: b });
}

/** The keys of `a` and `b` in a stable order: the schema's at the top, sorted elsewhere. */
function keysOf(path: Path, a: Record<string, Json>, b: Record<string, Json>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  if (path.length > 0) return keys;
  const rank = (key: string) => {
    const index = FIELD_ORDER.indexOf(key);
    return index === -1 ? FIELD_ORDER.length : index;
  };
  return keys.sort((x, y) => rank(x) - rank(y)); // stable: unknown keys stay sorted at the end
}

function diffObjects(
  path: Path,
  a: Record<string, Json>,
  b: Record<string, Json>,
  changes: PlanChange[],
): void {
  for (const key of keysOf(path, a, b)) {
    const before = Object.hasOwn(a, key) ? a[key] : undefined;
    const after = Object.hasOwn(b, key) ? b[key] : undefined;
    const at = [...path, key];
    if (before === undefined && after === undefined) continue;
    if (before === undefined) changes.push({ path: fieldPath(at), kind: 'added', after });
    else if (after === undefined) changes.push({ path: fieldPath(at), kind: 'removed', before });
    else diffValues(at, before, after, changes);
  }
}

/** Item by item at the same index; the longer list's tail is added or removed. */
function diffItems(path: Path, a: readonly Json[], b: readonly Json[], changes: PlanChange[]) {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const at = fieldPath([...path, index]);
    if (index >= a.length) changes.push({ path: at, kind: 'added', after: b[index] });
    else if (index >= b.length) changes.push({ path: at, kind: 'removed', before: a[index] });
    else diffValues([...path, index], a[index], b[index], changes);
  }
}

/** Lists compared beyond this many cells of the table are compared item by item instead. */
const MAX_LIST_TABLE = 1_000_000;

/**
 * Lists of scalars as lists: what is kept is a longest common subsequence; the rest of `a` is
 * removed and the rest of `b` added, in list order (removals first where both happen).
 */
function diffScalarLists(
  path: Path,
  a: readonly Json[],
  b: readonly Json[],
  changes: PlanChange[],
): void {
  if ((a.length + 1) * (b.length + 1) > MAX_LIST_TABLE) return diffItems(path, a, b, changes);
  // common[i][j]: the length of a longest common subsequence of a[i..] and b[j..].
  const common = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i -= 1)
    for (let j = b.length - 1; j >= 0; j -= 1)
      common[i]![j] =
        a[i] === b[j]
          ? common[i + 1]![j + 1]! + 1
          : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i += 1;
      j += 1;
    } else if (j >= b.length || (i < a.length && common[i + 1]![j]! >= common[i]![j + 1]!)) {
      changes.push({ path: fieldPath([...path, i]), kind: 'removed', before: a[i] });
      i += 1;
    } else {
      changes.push({ path: fieldPath([...path, j]), kind: 'added', after: b[j] });
      j += 1;
    }
  }
}

/** `value` with the keys of its objects sorted, so equal values print alike. */
function sortedKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}
