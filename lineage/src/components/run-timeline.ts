// The run page's timeline: the Gantt drawn as wide as its card (again when the card is resized)
// and, for long charts, again as it scrolls (only the rows in view are drawn); its groups
// expanded or collapsed by the user (kept across the live redraws); and its legend. A small run
// opens with its groups expanded, a large one collapsed.
import type { RunDetail, RunStep } from '../api/types.js';
import { ganttChart } from '../charts/gantt.js';
import { ganttRows, runEnd, type GanttRow } from '../charts/gantt-rows.js';
import { h, replaceChildren } from '../dom.js';

/** Runs with more steps than this open with their groups collapsed. */
const EXPANDED_UP_TO = 200;

const ATTEMPT_STATES = ['succeeded', 'failed', 'timed_out', 'lost', 'running', 'canceled'];

/** The timeline of one run. */
export class RunTimeline {
  readonly element: HTMLElement;
  /** The scrolling box the chart fills. */
  private readonly box = h('div', { class: 'gantt-wrap' });
  private readonly resizeObserver: ResizeObserver;
  private run: RunDetail | undefined;
  private rows: readonly GanttRow[] = [];
  private now = 0;
  private width = 0;
  private frame: number | undefined;
  /** Whether groups start expanded (decided by the run's size when first shown). */
  private expandedByDefault: boolean | undefined;
  /** Groups the user opened or closed against that default. */
  private readonly toggled = new Set<string>();

  constructor(private readonly onStep: (step: RunStep) => void) {
    this.element = h(
      'div',
      { class: 'run-timeline' },
      this.box,
      h(
        'div',
        { class: 'gantt-legend' },
        ...ATTEMPT_STATES.map((state) =>
          h('span', {}, h('i', { class: `attempt-${state}` }), state.replace('_', ' ')),
        ),
        h('span', {}, h('i', { class: 'marker-reused' }), 'reused'),
        h('span', {}, h('i', { class: 'marker-fresh' }), 'cut off'),
        h('span', {}, h('i', { class: 'group-swatch' }), 'asset: its partitions by outcome'),
      ),
    );
    this.resizeObserver = new ResizeObserver(() => {
      if (this.box.clientWidth !== this.width) this.draw();
    });
    this.resizeObserver.observe(this.box);
    this.box.addEventListener('scroll', () => this.drawSoon(), { passive: true });
  }

  /** Shows `run` as of `now`. */
  update(run: RunDetail, now: number): void {
    this.run = run;
    this.now = now;
    this.expandedByDefault ??= run.steps.length <= EXPANDED_UP_TO;
    this.layout();
  }

  /** Expands or collapses the group of `key`. */
  toggle(key: string): void {
    if (!this.toggled.delete(key)) this.toggled.add(key);
    this.layout();
    // Keep the keyboard on the row that was toggled (the chart was drawn anew).
    this.box.querySelector<SVGGElement>(`.gantt-group[data-asset="${CSS.escape(key)}"]`)?.focus();
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
  }

  /** The rows anew (the run or a group changed), then the chart. */
  private layout(): void {
    const run = this.run;
    if (run === undefined) return;
    this.rows = ganttRows(
      run,
      runEnd(run, this.now),
      (key) => this.toggled.has(key) !== this.expandedByDefault,
    );
    this.draw();
  }

  /** Draws on the next frame (scrolling: once per frame at most). */
  private drawSoon(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.draw();
    });
  }

  private draw(): void {
    const run = this.run;
    this.width = this.box.clientWidth;
    // Not laid out yet: the resize observer draws once it is.
    if (run === undefined || this.width === 0) return;
    if (run.steps.length === 0) {
      replaceChildren(this.box, h('p', { class: 'muted' }, 'No steps.'));
      return;
    }
    replaceChildren(
      this.box,
      ganttChart(run, this.rows, {
        now: this.now,
        width: this.width,
        view: { top: this.box.scrollTop, height: this.box.clientHeight },
        onStep: this.onStep,
        onToggle: (key) => this.toggle(key),
      }),
    );
  }
}
