// The run page's log: the run's events from a chosen level up, narrowed to one step when one
// is selected in the timeline and to the lines containing a search text (matches highlighted),
// with how many lines are shown of how many.
import type { RunEvent } from '../api/types.js';
import { h, replaceChildren } from '../dom.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** The log of one run; the page loads the events, this shows them. */
export class RunLog {
  readonly element: HTMLElement;
  /** The level the events were loaded from (a change reloads them: `onLevel`). */
  readonly level: HTMLSelectElement;
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

  constructor(onLevel: () => void) {
    this.level = h(
      'select',
      { 'aria-label': 'log level' },
      ...LEVELS.map((l) => h('option', { value: l, selected: l === 'info' }, `${l} and above`)),
    );
    this.level.addEventListener('change', onLevel);
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
      h('div', { class: 'row log-controls' }, this.level, this.search, this.count, this.stepNote),
      this.list,
    );
  }

  /** Shows these events (the page keeps them). */
  show(events: readonly RunEvent[]): void {
    this.events = events;
    this.render();
  }

  /** Narrows the log to one step (`label` names it), or shows every step again. */
  onlyStep(stepId: number | undefined, label: string): void {
    this.step = stepId;
    this.stepNote.textContent =
      stepId === undefined ? '' : `only ${label} (click the step again for all)`;
    this.render();
  }

  /** Shows an error in place of the lines. */
  fail(box: HTMLElement): void {
    replaceChildren(this.list, box);
  }

  destroy(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
  }

  private render(): void {
    const query = this.search.value.trim();
    const pattern = query === '' ? undefined : matcher(query);
    const ofStep =
      this.step === undefined ? this.events : this.events.filter((e) => e.stepId === this.step);
    const shown =
      pattern === undefined
        ? ofStep
        : ofStep.filter((e) => pattern.test(e.message) || pattern.test(subject(e) ?? ''));
    replaceChildren(this.list, ...shown.map((event) => line(event, pattern)));
    if (shown.length === 0) {
      this.list.append(
        h(
          'li',
          { class: 'muted' },
          query === '' ? 'No log lines at this level.' : `No log line contains “${query}”.`,
        ),
      );
    }
    this.count.textContent =
      query === '' ? `${ofStep.length} lines` : `${shown.length} of ${ofStep.length} lines`;
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

function line(event: RunEvent, pattern: RegExp | undefined): HTMLElement {
  const about = subject(event);
  return h(
    'li',
    { class: `log-${event.level}` },
    h(
      'time',
      { datetime: event.createdAt },
      new Date(event.createdAt).toLocaleTimeString(undefined, { hour12: false }),
    ),
    h('span', { class: 'level' }, event.level),
    about === undefined ? null : h('span', { class: 'subject' }, ...marked(about, pattern)),
    h('span', { class: 'message' }, ...marked(event.message, pattern)),
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
