// A run as a timeline (SVG): one row per step, one bar per attempt coloured by its outcome, a
// dashed line for the wait between retries, and markers for steps that did no work (reused,
// cut off as fresh, skipped). Runs still going extend to "now".
import type { RunAttempt, RunDetail, RunStep } from '../api/types.js';
import { s } from '../dom.js';
import { formatDuration } from '../format.js';
import { linear, niceTicks } from './scale.js';

const LABEL_W = 210;
const ROW_H = 20;
const BAR_H = 12;
const AXIS_H = 24;
const PLOT_W = 760;
/** Runs with more steps show the first ones by start time (the page says how many). */
export const MAX_GANTT_ROWS = 1_000;

/** The timeline of `run`; `onStep` is called when a row is clicked. */
export function ganttChart(
  run: RunDetail,
  now: number,
  onStep: (step: RunStep) => void,
): SVGSVGElement {
  const start = Date.parse(run.createdAt);
  const end = Math.max(start + 1, run.finishedAt === null ? now : Date.parse(run.finishedAt));
  const attemptsByStep = new Map<number, RunAttempt[]>();
  for (const attempt of run.attempts) {
    let list = attemptsByStep.get(attempt.stepId);
    if (list === undefined) attemptsByStep.set(attempt.stepId, (list = []));
    list.push(attempt);
  }
  const steps = [...run.steps]
    .sort(
      (a, b) =>
        time(a.startedAt ?? a.finishedAt, end) - time(b.startedAt ?? b.finishedAt, end) ||
        a.stepId - b.stepId,
    )
    .slice(0, MAX_GANTT_ROWS);
  const width = LABEL_W + PLOT_W + 20;
  const height = AXIS_H + steps.length * ROW_H + 8;
  const x = linear(start, end, LABEL_W, LABEL_W + PLOT_W);
  const ticks = niceTicks(0, end - start, 6).filter((t) => t <= end - start);
  const rows = steps.map((step, index) => {
    const y = AXIS_H + index * ROW_H;
    const label = `${step.key}${step.partition === null ? '' : `[${step.partition}]`}`;
    const attempts = (attemptsByStep.get(step.stepId) ?? []).sort((a, b) => a.number - b.number);
    const bars = attempts.map((attempt, i) => {
      const a0 = Date.parse(attempt.startedAt);
      const a1 = attempt.finishedAt === null ? end : Date.parse(attempt.finishedAt);
      const next = attempts[i + 1];
      return [
        s(
          'rect',
          {
            x: x(a0),
            y: y + (ROW_H - BAR_H) / 2,
            width: Math.max(2, x(a1) - x(a0)),
            height: BAR_H,
            rx: 2,
            class: `bar attempt-${attempt.status}`,
          },
          s(
            'title',
            {},
            `${label} attempt ${attempt.number}: ${attempt.status}, ${formatDuration(a1 - a0)}${attempt.error === null ? '' : `\n${attempt.error}`}`,
          ),
        ),
        next === undefined
          ? null
          : s(
              'line',
              {
                x1: x(a1),
                x2: x(Date.parse(next.startedAt)),
                y1: y + ROW_H / 2,
                y2: y + ROW_H / 2,
                class: 'retry-wait',
              },
              s('title', {}, `retry after ${formatDuration(Date.parse(next.startedAt) - a1)}`),
            ),
      ];
    });
    const marker =
      attempts.length === 0 && step.finishedAt !== null
        ? s(
            'path',
            {
              d: diamond(x(Date.parse(step.finishedAt)), y + ROW_H / 2),
              class: `marker step-${step.status}`,
            },
            s('title', {}, `${label}: ${describe(step)}`),
          )
        : null;
    const row = s(
      'g',
      {
        class: `gantt-row step-${step.status}`,
        'data-step': step.stepId,
        tabindex: 0,
        role: 'button',
        'aria-label': `${label}: ${describe(step)}`,
      },
      s('rect', { x: 0, y, width, height: ROW_H, class: 'row-bg' }),
      s(
        'text',
        { x: 6, y: y + ROW_H / 2 + 4, class: 'row-label' },
        label.length > 30 ? `${label.slice(0, 29)}…` : label,
      ),
      bars,
      marker,
    );
    row.addEventListener('click', () => onStep(step));
    row.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Enter') onStep(step);
    });
    return row;
  });
  return s(
    'svg',
    {
      class: 'gantt',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'group',
      'aria-label': `timeline of run ${run.runId}`,
    },
    ...ticks.map((t) => [
      s('line', { x1: x(start + t), x2: x(start + t), y1: AXIS_H - 4, y2: height, class: 'grid' }),
      s(
        'text',
        { x: x(start + t), y: AXIS_H - 8, 'text-anchor': 'middle', class: 'tick' },
        formatDuration(t),
      ),
    ]),
    ...rows,
    run.finishedAt === null
      ? s('line', { x1: x(end), x2: x(end), y1: AXIS_H - 4, y2: height, class: 'now' })
      : null,
  );
}

function time(iso: string | null, fallback: number): number {
  return iso === null ? fallback : Date.parse(iso);
}

function diamond(cx: number, cy: number): string {
  const r = 5;
  return `M${cx},${cy - r} L${cx + r},${cy} L${cx},${cy + r} L${cx - r},${cy} Z`;
}

/** A step's outcome in words. */
export function describe(step: RunStep): string {
  switch (step.status) {
    case 'reused':
      return 'reused an identical earlier materialization';
    case 'fresh':
      return 'cut off: its inputs came out unchanged';
    case 'skipped':
      return 'skipped: an upstream step failed';
    case 'succeeded':
      return `computed in ${formatDuration(step.durationMs)}${step.attempts > 1 ? ` after ${step.attempts} attempts` : ''}`;
    case 'failed':
      return `failed after ${step.attempts} attempt(s)${step.error === null ? '' : `: ${step.error}`}`;
    default:
      return step.status;
  }
}
