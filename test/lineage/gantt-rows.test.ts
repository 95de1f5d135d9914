// The run page's Gantt rows without a browser: a partitioned asset's steps gathered under one
// group (its span over attempts and no-work steps, its counts most first), expanded only when
// asked, unpartitioned steps as rows of their own, everything in order of first start.
import { describe, expect, it } from 'vitest';
import type { RunAttempt, RunDetail, RunStep } from '../../lineage/src/api/types.js';
import { ganttRows, runEnd, stepLabel } from '../../lineage/src/charts/gantt-rows.js';

const T0 = Date.parse('2026-12-03T10:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1_000).toISOString();

function step(
  stepId: number,
  key: string,
  partition: string | null,
  status: RunStep['status'],
  startedAt: number | null,
  finishedAt: number | null,
): RunStep {
  return {
    stepId,
    key,
    partition,
    status,
    attempts: startedAt === null ? 0 : 1,
    startedAt: startedAt === null ? null : at(startedAt),
    finishedAt: finishedAt === null ? null : at(finishedAt),
    durationMs: startedAt === null || finishedAt === null ? null : (finishedAt - startedAt) * 1e3,
    materializationId: null,
    error: null,
  };
}

function attempt(stepId: number, start: number, end: number | null): RunAttempt {
  return {
    attemptId: stepId * 10,
    stepId,
    number: 1,
    workerId: 'w1',
    status: end === null ? 'running' : 'succeeded',
    error: null,
    startedAt: at(start),
    finishedAt: end === null ? null : at(end),
    slurm: null,
  };
}

function run(steps: RunStep[], attempts: RunAttempt[], finishedAt: number | null): RunDetail {
  return {
    runId: 1,
    status: finishedAt === null ? 'running' : 'succeeded',
    selection: '*',
    trigger: 'api',
    triggerReason: null,
    launchedBy: 'local',
    gitCommit: null,
    host: 'vm',
    createdAt: at(0),
    finishedAt: finishedAt === null ? null : at(finishedAt),
    durationMs: finishedAt === null ? null : finishedAt * 1e3,
    counts: {},
    total: steps.length,
    options: {},
    steps,
    attempts,
    eventsUrl: '/api/runs/1/events',
  };
}

// raw (unpartitioned) first; mesh[B] starts before mesh[a]; mesh[c] was reused (no attempt);
// report waits.
const steps = [
  step(1, 'raw', null, 'succeeded', 0, 1),
  step(2, 'mesh', 'a', 'succeeded', 3, 5),
  step(3, 'mesh', 'B', 'failed', 2, 4),
  step(4, 'mesh', 'c', 'reused', null, 6),
  step(5, 'report', null, 'waiting', null, null),
];
const attempts = [attempt(1, 0, 1), attempt(2, 3, 5), attempt(3, 2, 4)];

describe('the rows of a run', () => {
  it('gathers a partitioned asset under one group with its span and counts', () => {
    const rows = ganttRows(run(steps, attempts, 7), T0 + 7_000, () => false);
    expect(rows.map((r) => (r.kind === 'group' ? `group ${r.key}` : r.label))).toEqual([
      'raw',
      'group mesh',
      'report',
    ]);
    const mesh = rows[1]!;
    if (mesh.kind !== 'group') throw new Error('expected the group of mesh');
    expect(mesh.expanded).toBe(false);
    // From mesh[B]'s attempt start (2 s) to mesh[c]'s reuse (6 s).
    expect(mesh.span).toEqual({ start: T0 + 2_000, end: T0 + 6_000 });
    // Equal counts: done ones first, as in the progress bars.
    expect(mesh.counts).toEqual([
      ['succeeded', 1],
      ['reused', 1],
      ['failed', 1],
    ]);
  });

  it('expands a group into its steps by start, each with its attempts', () => {
    const rows = ganttRows(run(steps, attempts, 7), T0 + 7_000, (key) => key === 'mesh');
    expect(rows.map((r) => (r.kind === 'group' ? `group ${r.key}` : r.label))).toEqual([
      'raw',
      'group mesh',
      'mesh[B]',
      'mesh[a]',
      'mesh[c]',
      'report',
    ]);
    const b = rows[2]!;
    expect(b.kind === 'step' && b.grouped && b.attempts.map((a) => a.stepId)).toEqual([3]);
    expect(rows[0]!.kind === 'step' && rows[0]!.grouped).toBe(false);
  });

  it('extends a running attempt, and a running run, to now', () => {
    const running = run([step(1, 'mesh', 'a', 'running', 1, null)], [attempt(1, 1, null)], null);
    expect(runEnd(running, T0 + 9_000)).toBe(T0 + 9_000);
    const [group] = ganttRows(running, T0 + 9_000, () => false);
    expect(group?.kind === 'group' && group.span).toEqual({ start: T0 + 1_000, end: T0 + 9_000 });
    // A group whose steps have not started has no span yet.
    const waiting = run([step(1, 'mesh', 'a', 'waiting', null, null)], [], null);
    const [idle] = ganttRows(waiting, T0 + 1_000, () => false);
    expect(idle?.kind === 'group' && idle.span).toBeUndefined();
    expect(stepLabel(step(9, 'mesh', 'Case_07', 'queued', null, null))).toBe('mesh[Case_07]');
  });
});
