// The live progress renderer: which events get a line, and that every line about a step names
// it (a lost attempt, a skip or a log line says which asset partition it is about), and a line
// the compute wrote to stdout or stderr its stream.
import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../src/executor/index.js';
import { createColors } from '../../src/cli/render/colors.js';
import { eventText, progressRenderer } from '../../src/cli/render/run-progress.js';
import type { EventRow } from '../../src/store/index.js';

const at = new Date('2026-01-02T03:04:05.000Z');
let nextId = 1;

/** An event row as the engine writes it ('' is the partition of an unpartitioned asset). */
function event(fields: Partial<EventRow> & Pick<EventRow, 'kind' | 'message'>): EventRow {
  return {
    id: nextId++,
    run_id: 7,
    step_id: 3,
    attempt_id: 4,
    asset_key: 'mesh',
    partition_key: 'd01',
    level: 'info',
    data: null,
    created_at: at,
    ...fields,
  };
}

const lost = event({
  kind: 'attempt_lost',
  level: 'warn',
  message: 'attempt 2 lost: its worker stopped heartbeating; the step will be taken over',
});

function progress(events: readonly EventRow[]): RunProgress {
  return { runId: 7, status: 'running', counts: { running: 1 }, total: 3, events };
}

function render(events: readonly EventRow[], options: { tty: boolean; verbose: boolean }) {
  let output = '';
  const stream = { isTTY: options.tty, write: (chunk: string) => (output += chunk) };
  const renderer = progressRenderer(stream, createColors(false), options.verbose);
  renderer.update(progress(events));
  renderer.finish();
  return output;
}

describe('eventText', () => {
  it.each([
    [
      'a lost attempt',
      lost,
      'mesh[d01]: attempt 2 lost: its worker stopped heartbeating; the step will be taken over',
    ],
    [
      'a lost attempt taken over at claim time',
      event({
        kind: 'attempt_lost',
        level: 'warn',
        message: 'attempt lost: worker w-1 stopped heartbeating',
      }),
      'mesh[d01]: attempt lost: worker w-1 stopped heartbeating',
    ],
    [
      'a skip',
      event({
        kind: 'step_skipped',
        asset_key: 'metrics',
        message: 'skipped: upstream mesh[d01] failed',
      }),
      'metrics[d01]: skipped: upstream mesh[d01] failed',
    ],
    [
      'a log line of an unpartitioned asset',
      event({
        kind: 'log',
        asset_key: 'pareto_front',
        partition_key: '',
        message: 'mesh converged',
      }),
      'pareto_front: mesh converged',
    ],
    [
      'a line its compute wrote to stderr',
      event({ kind: 'log', level: 'warn', message: 'bad element 12', data: { stream: 'stderr' } }),
      'mesh[d01] stderr: bad element 12',
    ],
    [
      'a line its compute wrote to stdout',
      event({ kind: 'log', message: 'mesh[d01] has 40 cells', data: { stream: 'stdout' } }),
      'mesh[d01] stdout: mesh[d01] has 40 cells',
    ],
    [
      'a message that names its step already',
      event({ kind: 'step_materialized', message: 'mesh[d01] materialized (data f56f1987ddcb)' }),
      'mesh[d01] materialized (data f56f1987ddcb)',
    ],
    [
      'a producer expanding the run (no partition)',
      event({
        kind: 'run_expanded',
        asset_key: 'designs',
        partition_key: null,
        message: 'designs produced new partitions: 16 steps added',
      }),
      'designs produced new partitions: 16 steps added',
    ],
    [
      'a run event',
      event({
        kind: 'run_started',
        asset_key: null,
        partition_key: null,
        step_id: null,
        message: 'run 7: 3 steps for selection *',
      }),
      'run 7: 3 steps for selection *',
    ],
  ])('names the step of %s', (_, row, text) => {
    expect(eventText(row)).toBe(text);
  });
});

describe('progressRenderer', () => {
  it('writes one line per shown event to a pipe, naming the step of a lost attempt', () => {
    const busy = event({
      kind: 'step_partition_busy',
      message: 'mesh[d01] waits: run 6 is computing it',
    });
    const output = render([busy, lost], { tty: false, verbose: false });
    expect(output).toBe(
      '2026-01-02T03:04:05.000Z mesh[d01]: attempt 2 lost: its worker stopped heartbeating; the step will be taken over\n',
    );
  });

  it('shows warnings on a terminal above the status line, with the step', () => {
    const done = event({
      kind: 'step_materialized',
      message: 'mesh[d01] materialized (data f56f1987ddcb)',
    });
    const quiet = render([done, lost], { tty: true, verbose: false });
    expect(quiet).toContain('mesh[d01]: attempt 2 lost');
    expect(quiet).not.toContain('materialized');
    expect(render([done, lost], { tty: true, verbose: true })).toContain('mesh[d01] materialized');
  });
});
