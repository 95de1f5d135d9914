// The run page's log: the run's events from a chosen level up (or only what the computes wrote
// to stdout or stderr), narrowed to one step when one is selected in the timeline and to the
// lines containing a search text (matches highlighted), with how many lines are shown of how
// many. A captured line names its stream where other lines name their level. A check's verdict
// (check_evaluated) carries a mark of it (✓ ! ✗ ⊘, as on the partitions grid) and a link to the
// materialization it judged. While a run goes on, new events are appended to what is drawn
// rather than the whole log drawn again.
import type { RunEvent } from '../api/types.js';
import { h, replaceChildren } from '../dom.js';
import { routes } from '../router.js';
import { checkMark, verdictOf } from './check-results.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** The stream choices: every line, or the lines captured from one stream of the computes. */
const STREAMS = [
  ['', 'all lines'],
  ['stdout', 'stdout only'],
  ['stderr', 'stderr only'],
] as const;

/** The log of one run; the page loads the events, this shows them. */
export class RunLog {
  readonly element: HTMLElement;
  /** The level the events were loaded from (a change reloads them: `onLevel`). */
  readonly level: HTMLSelectElement;
  /** '' or the one stream of captured output the events were loaded from (a change reloads). */
  readonly stream: HTMLSelectElement;
  private readonly search = h('input', {
    type: 'search',
    class: 'log-search',
    placeholder: 'Filter the log',
    'aria-label': 'filter the log',
  });
  private readonly stepNote = h('span', { class: 'muted log-step' });
  private readonly count = h('span', { class: 'muted log-count', 'aria-live': 'polite' });
  private readonly list = h('ol', { class: 'log', 'aria-live': 'off' });
  private events: readonly RunEvent[] = [];
  private step: number | undefined;
  private frame: number | undefined;
  /** What the list shows: the filters, the first and last event considered, the counts. */
  private drawn:
    | {
        readonly query: string;
        readonly step: number | undefined;
        readonly first: number | undefined;
        last: number | undefined;
        total: number;
        shown: number;
      }
    | undefined;

  constructor(onLevel: () => void) {
    this.level = h(
      'select',
      { 'aria-label': 'log level' },
      ...LEVELS.map((l) => h('option', { value: l, selected: l === 'info' }, `${l} and above`)),
    );
    this.level.addEventListener('change', onLevel);
    this.stream = h(
      'select',
      { 'aria-label': 'log stream' },
      ...STREAMS.map(([value, text]) => h('option', { value }, text)),
    );
    this.stream.addEventListener('change', onLevel);
    // Typing redraws once per frame at most.
    this.search.addEventListener('input', () => {
      if (this.frame !== undefined) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = undefined;
        this.render();
      });
    });
    this.element = h(
      'div',
      { class: 'run-log' },
      h(
        'div',
        { class: 'row log-controls' },
        this.level,
        this.stream,
        this.search,
        this.count,
        this.stepNote,
      ),
      this.list,
    );
  }

  /** Shows these events (the page keeps them, in the order of their ids). */
  show(events: readonly RunEvent[]): void {
    this.events = events;
    if (!this.append()) this.render();
  }

  /** Narrows the log to one step (`label` names it), or shows every step again. */
  onlyStep(stepId: number | undefined, label: string): void {
    this.step = stepId;
    this.stepNote.textContent =
      stepId === undefined ? '' : `only ${label} (click the step again for all)`;
    this.render();
  }

  /** The page loads the events anew (another level or stream): the next `show` draws them all. */
  restart(): void {
    this.drawn = undefined;
  }

  /** Shows an error in place of the lines. */
  fail(box: HTMLElement): void {
    this.drawn = undefined;
    replaceChildren(this.list, box);
  }

  destroy(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
  }

  /** Which events the filters keep, and the pattern to highlight. */
  private filter(events: readonly RunEvent[]): {
    ofStep: readonly RunEvent[];
    shown: readonly RunEvent[];
    pattern: RegExp | undefined;
  } {
    const query = this.search.value.trim();
    const pattern = query === '' ? undefined : matcher(query);
    const ofStep = this.step === undefined ? events : events.filter((e) => e.stepId === this.step);
    const shown =
      pattern === undefined
        ? ofStep
        : ofStep.filter((e) => pattern.test(e.message) || pattern.test(subject(e) ?? ''));
    return { ofStep, shown, pattern };
  }

  /** Appends the events after the last one drawn; false when the list must be drawn anew. */
  private append(): boolean {
    const drawn = this.drawn;
    const events = this.events;
    if (
      drawn === undefined ||
      drawn.last === undefined ||
      drawn.query !== this.search.value.trim() ||
      drawn.step !== this.step ||
      drawn.first !== events[0]?.eventId // older lines were dropped, or the level changed
    ) {
      return false;
    }
    let from = events.length;
    while (from > 0 && events[from - 1]!.eventId > drawn.last) from -= 1;
    const added = events.slice(from);
    if (added.length === 0) return true;
    const { ofStep, shown, pattern } = this.filter(added);
    if (drawn.shown === 0 && shown.length > 0) this.list.replaceChildren();
    this.list.append(...shown.map((event) => line(event, pattern)));
    drawn.last = added[added.length - 1]!.eventId;
    drawn.total += ofStep.length;
    drawn.shown += shown.length;
    this.showCount();
    return true;
  }

  private render(): void {
    const query = this.search.value.trim();
    const { ofStep, shown, pattern } = this.filter(this.events);
    replaceChildren(this.list, ...shown.map((event) => line(event, pattern)));
    if (shown.length === 0) {
      this.list.append(
        h(
          'li',
          { class: 'muted' },
          query !== ''
            ? `No log line contains “${query}”.`
            : this.stream.value === ''
              ? 'No log lines at this level.'
              : `No ${this.stream.value} lines at this level.`,
        ),
      );
    }
    this.drawn = {
      query,
      step: this.step,
      first: this.events[0]?.eventId,
      last: this.events[this.events.length - 1]?.eventId,
      total: ofStep.length,
      shown: shown.length,
    };
    this.showCount();
  }

  private showCount(): void {
    const drawn = this.drawn;
    if (drawn === undefined) return;
    this.count.textContent =
      drawn.query === '' ? `${drawn.total} lines` : `${drawn.shown} of ${drawn.total} lines`;
  }
}

/** A case-insensitive pattern of `query` taken literally, capturing it (for splitting). */
function matcher(query: string): RegExp {
  return new RegExp(`(${query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'iu');
}

function subject(event: RunEvent): string | undefined {
  if (event.assetKey === null) return undefined;
  return `${event.assetKey}${event.partition === null ? '' : `[${event.partition}]`}`;
}

/** What a check_evaluated event says of its verdict (null for other events). */
function checkVerdict(
  event: RunEvent,
): { verdict: ReturnType<typeof verdictOf>; materializationId: number } | null {
  if (event.kind !== 'check_evaluated' || typeof event.data !== 'object' || event.data === null)
    return null;
  const data = event.data as Record<string, unknown>;
  if (typeof data.passed !== 'boolean' || typeof data.materializationId !== 'number') return null;
  return {
    verdict: verdictOf({
      passed: data.passed,
      blocking: data.blocking === true,
      severity: data.severity === 'warn' ? 'warn' : 'error',
    }),
    materializationId: data.materializationId,
  };
}

function line(event: RunEvent, pattern: RegExp | undefined): HTMLElement {
  const about = subject(event);
  const check = checkVerdict(event);
  return h(
    'li',
    {
      class: `log-${event.level}${check === null ? '' : ' log-check'}`,
      'data-kind': event.kind,
      'data-verdict': check?.verdict,
    },
    h(
      'time',
      { datetime: event.createdAt },
      new Date(event.createdAt).toLocaleTimeString(undefined, { hour12: false }),
    ),
    // A line the compute wrote to stdout or stderr names its stream in place of its level.
    event.stream === null
      ? h('span', { class: 'level' }, event.level)
      : h(
          'span',
          {
            class: 'level stream',
            'data-stream': event.stream,
            title: `written to ${event.stream} by the compute (level ${event.level})`,
          },
          event.stream,
        ),
    about === undefined ? null : h('span', { class: 'subject' }, ...marked(about, pattern)),
    check === null ? null : checkMark(check.verdict),
    h('span', { class: 'message' }, ...marked(event.message, pattern)),
    check === null
      ? null
      : h(
          'a',
          {
            class: 'log-link',
            href: `#${routes.materialization(check.materializationId)}`,
            title: 'the materialization the check judged',
          },
          `#${check.materializationId}`,
        ),
  );
}

/** `text` with each match of `pattern` in a <mark>. */
function marked(text: string, pattern: RegExp | undefined): (string | HTMLElement)[] {
  if (pattern === undefined) return [text];
  // Splitting on a capturing pattern puts the matches at the odd places.
  return text
    .split(new RegExp(pattern.source, 'giu'))
    .map((part, index) => (index % 2 === 1 ? h('mark', {}, part) : part))
    .filter((part) => part !== '');
}
