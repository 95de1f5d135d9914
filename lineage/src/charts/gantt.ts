// A run as a timeline (SVG) as wide as it is given: one row per step, one bar per attempt
// coloured by its outcome, a dashed line for the wait between retries, and markers for steps
// that did no work (reused, cut off as fresh, skipped); a partitioned asset's steps under one
// group row (its span, split by its steps' outcomes, and their counts) that expands to one row
// per partition. Runs still going extend to "now". Past a few hundred rows only those in the
// visible window are drawn (the chart keeps the height of all), so a group of thousands of
// partitions scrolls as smoothly as a small run.
import type { RunDetail, RunStep } from '../api/types.js';
import { s } from '../dom.js';
import { formatDuration } from '../format.js';
import { runEnd, type GanttRow, type GroupRow, type StepRow } from './gantt-rows.js';
import { linear, niceTicks } from './scale.js';

const LABEL_W = 220;
const ROW_H = 20;
const BAR_H = 12;
const AXIS_H = 24;
const RIGHT_PAD = 12;
/** Narrower than this the plot keeps its width and the chart scrolls sideways. */
const MIN_PLOT_W = 320;
/** Characters of a label that fit beside the plot. */
const LABEL_CHARS = 32;
/** Charts with more rows draw only those near the visible window. */
const WINDOWED_ABOVE = 300;
/** Rows drawn beyond each edge of the visible window. */
const WINDOW_MARGIN_ROWS = 20;

/** What the chart needs besides the run and its rows. */
export interface GanttOptions {
  readonly now: number;
  /** The width to fill, in CSS pixels. */
  readonly width: number;
  /** The part of the chart in view (its scroll offset and height), in CSS pixels. */
  readonly view: { readonly top: number; readonly height: number };
  readonly onStep: (step: RunStep) => void;
  readonly onToggle: (key: string) => void;
}

/** The timeline of `run` drawn with `rows` (from ganttRows at the same `now`). */
export function ganttChart(
  run: RunDetail,
  rows: readonly GanttRow[],
  options: GanttOptions,
): SVGSVGElement {
  const start = Date.parse(run.createdAt);
  const end = runEnd(run, options.now);
  const plotWidth = Math.max(MIN_PLOT_W, options.width - LABEL_W - RIGHT_PAD);
  const width = LABEL_W + plotWidth + RIGHT_PAD;
  const height = AXIS_H + rows.length * ROW_H + 8;
  const x = linear(start, end, LABEL_W, LABEL_W + plotWidth);
  const ticks = niceTicks(0, end - start, Math.max(2, Math.round(plotWidth / 110))).filter(
    (t) => t <= end - start,
  );
  let first = 0;
  let last = rows.length;
  if (rows.length > WINDOWED_ABOVE) {
    first = Math.max(0, Math.floor((options.view.top - AXIS_H) / ROW_H) - WINDOW_MARGIN_ROWS);
    last = Math.min(
      rows.length,
      Math.ceil((options.view.top + options.view.height - AXIS_H) / ROW_H) + WINDOW_MARGIN_ROWS,
    );
  }
  const drawn = rows.slice(first, last).map((row, index) => {
    const y = AXIS_H + (first + index) * ROW_H;
    return row.kind === 'group'
      ? groupRow(row, y, width, x, options.onToggle)
      : stepRow(row, y, width, x, end, options.onStep);
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
      'data-rows': rows.length,
    },
    ...ticks.map((t) => [
      s('line', { x1: x(start + t), x2: x(start + t), y1: AXIS_H - 4, y2: height, class: 'grid' }),
      s(
        'text',
        { x: x(start + t), y: AXIS_H - 8, 'text-anchor': 'middle', class: 'tick' },
        formatDuration(t),
      ),
    ]),
    ...drawn,
    run.finishedAt === null
      ? s('line', { x1: x(end), x2: x(end), y1: AXIS_H - 4, y2: height, class: 'now' })
      : null,
  );
}

/** A clickable row (Enter and Space act as a click). */
function interactive(row: SVGGElement, act: () => void): SVGGElement {
  row.addEventListener('click', act);
  row.addEventListener('keydown', (event) => {
    const key = (event as KeyboardEvent).key;
    if (key === 'Enter' || key === ' ') {
      event.preventDefault();
      act();
    }
  });
  return row;
}

function cut(label: string, chars: number): string {
  return label.length > chars ? `${label.slice(0, chars - 1)}…` : label;
}

function groupRow(
  row: GroupRow,
  y: number,
  width: number,
  x: (t: number) => number,
  onToggle: (key: string) => void,
): SVGGElement {
  const total = row.steps.length;
  const counts = row.counts.map(([status, count]) => `${count} ${status.replace('_', ' ')}`);
  const summary = `${row.key}: ${total} partition${total === 1 ? '' : 's'}, ${counts.join(', ')}`;
  const segments: SVGElement[] = [];
  let spanText: SVGElement | null = null;
  if (row.span !== undefined) {
    const x0 = x(row.span.start);
    const spanWidth = Math.max(3, x(row.span.end) - x0);
    let offset = 0;
    for (const [status, count] of row.counts) {
      const w = (count / total) * spanWidth;
      segments.push(
        s('rect', {
          x: x0 + offset,
          y: y + (ROW_H - BAR_H) / 2,
          width: w,
          height: BAR_H,
          class: `group-segment step-${status}`,
        }),
      );
      offset += w;
    }
    const text = counts.join(' · ');
    // The counts beside the span: after it when there is room, else before it.
    const after = x0 + spanWidth + 6 + text.length * 6 < width;
    spanText = s(
      'text',
      {
        x: after ? x0 + spanWidth + 6 : x0 - 6,
        y: y + ROW_H / 2 + 4,
        'text-anchor': after ? 'start' : 'end',
        class: 'group-counts',
      },
      text,
    );
  }
  return interactive(
    s(
      'g',
      {
        class: `gantt-group${row.expanded ? ' expanded' : ''}`,
        'data-asset': row.key,
        tabindex: 0,
        role: 'button',
        'aria-expanded': String(row.expanded),
        'aria-label': summary,
      },
      s('rect', { x: 0, y, width, height: ROW_H, class: 'row-bg' }),
      s(
        'text',
        { x: 6, y: y + ROW_H / 2 + 4, class: 'row-label group-label' },
        `${row.expanded ? '▾' : '▸'} ${cut(row.key, LABEL_CHARS - 8)}`,
        s('tspan', { class: 'group-total' }, ` ×${total}`),
      ),
      s('g', { class: 'group-span' }, s('title', {}, summary), ...segments),
      spanText,
    ),
    () => onToggle(row.key),
  );
}

function stepRow(
  row: StepRow,
  y: number,
  width: number,
  x: (t: number) => number,
  end: number,
  onStep: (step: RunStep) => void,
): SVGGElement {
  const { step, attempts, label } = row;
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
  // Under its group a row names its partition only; alone it names the asset.
  const shown = row.grouped ? step.partition! : label;
  return interactive(
    s(
      'g',
      {
        class: `gantt-row step-${step.status}`,
        'data-step': step.stepId,
        'data-asset': step.key,
        tabindex: 0,
        role: 'button',
        'aria-label': `${label}: ${describe(step)}`,
      },
      s('rect', { x: 0, y, width, height: ROW_H, class: 'row-bg' }),
      s(
        'text',
        { x: row.grouped ? 26 : 6, y: y + ROW_H / 2 + 4, class: 'row-label' },
        cut(shown, row.grouped ? LABEL_CHARS - 4 : LABEL_CHARS),
        s('title', {}, label),
      ),
      bars,
      marker,
    ),
    () => onStep(step),
  );
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
