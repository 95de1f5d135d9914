// Checks of the order of OpenLineage events the tests receive: per run id, START first and one
// terminal event last; a step's run after its parent's START and before its parent's end.
import { expect } from 'vitest';
import type { RunEvent } from '../../src/openlineage/index.js';

const TERMINAL = new Set(['COMPLETE', 'FAIL', 'ABORT']);

/** Asserts the order rules on `events` as received. */
export function expectLineageOrder(events: readonly RunEvent[]): void {
  const byRun = new Map<string, { types: string[]; first: number; last: number }>();
  events.forEach((event, index) => {
    const run = byRun.get(event.run.runId) ?? { types: [], first: index, last: index };
    run.types.push(event.eventType);
    run.last = index;
    byRun.set(event.run.runId, run);
  });
  for (const [runId, run] of byRun) {
    expect(run.types[0], runId).toBe('START');
    expect(TERMINAL.has(run.types.at(-1)!), `${runId}: ${run.types.join(',')}`).toBe(true);
    expect(run.types.filter((t) => TERMINAL.has(t))).toHaveLength(1);
    expect(run.types.filter((t) => t === 'START')).toHaveLength(1);
  }
  for (const event of events) {
    const parent = (event.run.facets?.parent as { run?: { runId: string } } | undefined)?.run;
    if (parent === undefined) continue;
    const parentRun = byRun.get(parent.runId);
    const stepRun = byRun.get(event.run.runId)!;
    expect(parentRun, `parent of ${event.job.name}`).toBeDefined();
    expect(parentRun!.first).toBeLessThan(stepRun.first);
    expect(parentRun!.last).toBeGreaterThan(stepRun.last);
  }
}

/** `job.name eventType` per event, for readable comparisons. */
export function eventLines(events: readonly RunEvent[]): string[] {
  return events.map((e) => `${e.job.name} ${e.eventType}`);
}
