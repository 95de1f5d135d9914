// Mermaid state diagrams of the step and attempt lifecycles, generated from their transition
// tables (step-states.ts, attempt-states.ts); docs/architecture.md shows the output, and a test
// keeps it current.
import {
  ATTEMPT_STATUSES,
  ATTEMPT_TRANSITIONS,
  type AttemptTransitionSpec,
} from './attempt-states.js';
import { DONE_STEP_STATUSES, STEP_STATUSES, UNSUCCESSFUL_STEP_STATUSES } from './step-states.js';
import { STEP_TRANSITIONS, type StepTransitionSpec } from './step-transitions-table.js';

/** The start (or end) pseudo-state of a Mermaid state diagram. */
const EDGE_STATE = '[*]';

/**
 * `from --> to: operations` lines, one per pair of states, ordered by `from` then `to` in
 * lifecycle order (`[*]` first as a source, last as a target).
 */
function edgeLines(
  rows: readonly { operation: string; from: readonly string[] | null; to: string | null }[],
  order: readonly string[],
): string[] {
  const rank = (state: string, asTarget: boolean): number =>
    state === EDGE_STATE ? (asTarget ? order.length : -1) : order.indexOf(state);
  const edges = new Map<string, { from: string; to: string; operations: string[] }>();
  for (const row of rows) {
    for (const from of row.from ?? [EDGE_STATE]) {
      const to = row.to ?? EDGE_STATE;
      const edge = edges.get(`${from} ${to}`) ?? { from, to, operations: [] };
      const name = row.operation.replaceAll('_', ' ');
      if (!edge.operations.includes(name)) edge.operations.push(name);
      edges.set(`${from} ${to}`, edge);
    }
  }
  return [...edges.values()]
    .sort(
      (a, b) => rank(a.from, false) - rank(b.from, false) || rank(a.to, true) - rank(b.to, true),
    )
    .map((edge) => `  ${edge.from} --> ${edge.to}: ${edge.operations.join(', ')}`);
}

/**
 * The step lifecycle as a Mermaid `stateDiagram-v2`: one arrow per pair of statuses, labelled
 * with the operations that move a step along it; done and unsuccessful terminal states styled.
 */
export function stepStateDiagram(): string {
  return [
    'stateDiagram-v2',
    ...edgeLines(STEP_TRANSITIONS as readonly StepTransitionSpec[], STEP_STATUSES),
    '  classDef done fill:#dcfce7,stroke:#15803d',
    '  classDef unsuccessful fill:#fee2e2,stroke:#b91c1c',
    `  class ${DONE_STEP_STATUSES.join(', ')} done`,
    `  class ${UNSUCCESSFUL_STEP_STATUSES.join(', ')} unsuccessful`,
  ].join('\n');
}

/** The attempt lifecycle as a Mermaid `stateDiagram-v2` (an arrow to `[*]`: row deleted). */
export function attemptStateDiagram(): string {
  return [
    'stateDiagram-v2',
    ...edgeLines(ATTEMPT_TRANSITIONS as readonly AttemptTransitionSpec[], ATTEMPT_STATUSES),
  ].join('\n');
}
