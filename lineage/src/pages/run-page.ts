// One run: status and progress, cancel/resume, its timeline (Gantt, grouped by asset) with
// retries, skips and reuse, the selected step's details, and its searchable log. Follows the
// run live until it finishes. A run that cannot be loaded is one message in place of the page.
import { getJson, postJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { RunActionResult, RunDetail, RunEvent, RunEventPage, RunStep } from '../api/types.js';
import { stepLabel } from '../charts/gantt-rows.js';
import { errorBox, loading, notify } from '../components/feedback.js';
import { progressBar } from '../components/progress-bar.js';
import { RunLog } from '../components/run-log.js';
import { RunTimeline } from '../components/run-timeline.js';
import { badge } from '../components/status-badge.js';
import { stepDetail } from '../components/step-detail.js';
import { triggerLabel, triggerReason } from '../components/trigger.js';
import { h, replaceChildren } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';
import type { Page } from '../page.js';

const REFRESH_INTERVAL_MS = 700;
/** Events fetched per request while catching up with the log. */
const EVENTS_PAGE = 500;
/** Log lines kept on the page (older ones are dropped from view, not from the database). */
const MAX_LOG_LINES = 5_000;
/** The log is read once more, whole, this long after the run is seen finished. */
const LATE_EVENTS_MS = 1_000;
/** How often a running run's durations and "now" line move. */
const CLOCK_MS = 2_000;

export const runPage: Page<{ id: number; step?: number }> = (root, { id, step }, context) => {
  const header = h('div', { class: 'page-header' }, h('h1', {}, `Run ${id}`));
  /** Loading, or a later failure to refresh (the cards stay as last loaded). */
  const status = h('div', { class: 'page-status' });
  const summary = h('section', { class: 'card run-summary' });
  const selected = h('div', { class: 'step-detail' });
  const timeline = new RunTimeline((step) => showStep(step));
  const log = new RunLog(() => {
    loadEvents({ restart: true }).catch((error: unknown) => log.fail(errorBox(error, 'the log')));
  });
  const cards = [
    summary,
    h('section', { class: 'card' }, h('h2', {}, 'Timeline'), timeline.element, selected),
    h('section', { class: 'card' }, h('h2', {}, 'Log'), log.element),
  ];

  let run: RunDetail | undefined;
  let eventsCursor: string | undefined;
  let onlyStep: number | undefined;
  let preselected = false;
  const events: RunEvent[] = [];

  const action = (verb: 'cancel' | 'resume'): void => {
    if (
      verb === 'cancel' &&
      !window.confirm(`Cancel run ${id}? Running steps finish; nothing else starts.`)
    )
      return;
    postJson<RunActionResult>(`/api/runs/${id}/${verb}`, {})
      .then((result) => {
        notify(result.message);
        refresh();
      })
      .catch((error: unknown) =>
        notify(error instanceof Error ? error.message : String(error), 'error'),
      );
  };

  const renderRun = (detail: RunDetail): void => {
    // The first time: the cards in place of the loading line (or of an earlier failure).
    if (run === undefined) replaceChildren(root, header, status, ...cards);
    run = detail;
    const finished = detail.finishedAt !== null;
    replaceChildren(
      header,
      h('h1', {}, `Run ${detail.runId} `, badge(detail.status)),
      h(
        'div',
        { class: 'actions' },
        detail.status === 'running'
          ? h('button', { type: 'button', onclick: () => action('cancel') }, 'Cancel')
          : null,
        detail.status === 'failed' || detail.status === 'canceled'
          ? h(
              'button',
              { type: 'button', class: 'primary', onclick: () => action('resume') },
              'Resume',
            )
          : null,
      ),
    );
    replaceChildren(
      summary,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'selection'),
        h('dd', {}, h('code', {}, detail.selection)),
        h('dt', {}, 'trigger'),
        h('dd', { class: 'run-trigger' }, triggerLabel(detail.trigger)),
        detail.triggerReason === null
          ? null
          : [
              h('dt', {}, 'trigger reason'),
              h('dd', { class: 'run-trigger-reason' }, triggerReason(detail.triggerReason)),
            ],
        detail.launchedBy === null
          ? null
          : [h('dt', {}, 'launched by'), h('dd', { class: 'run-launched-by' }, detail.launchedBy)],
        h('dt', {}, 'started'),
        h('dd', {}, formatTime(detail.createdAt)),
        h('dt', {}, finished ? 'took' : 'running for'),
        h(
          'dd',
          { 'data-field': 'duration' },
          formatDuration(detail.durationMs ?? Date.now() - Date.parse(detail.createdAt)),
        ),
        h('dt', {}, 'host / git commit'),
        h('dd', {}, `${detail.host} / ${detail.gitCommit ?? '–'}`),
        h('dt', {}, 'steps'),
        h('dd', {}, progressBar(detail.counts, detail.total)),
      ),
    );
    timeline.update(detail, Date.now());
    // A step named by the URL (a materialization's attempt) is selected once it is shown.
    const named = detail.steps.find((s) => s.stepId === step);
    if (named !== undefined && !preselected) {
      preselected = true;
      showStep(named);
    }
  };

  const showStep = (step: RunStep): void => {
    onlyStep = onlyStep === step.stepId ? undefined : step.stepId;
    replaceChildren(
      selected,
      ...stepDetail(
        step,
        (run?.attempts ?? []).filter((a) => a.stepId === step.stepId),
      ),
    );
    log.onlyStep(onlyStep, stepLabel(step));
  };

  /** The events after the cursor (from the first with `restart`), one load at a time. */
  let eventsLoad: Promise<void> = Promise.resolve();
  const loadEvents = (options: { restart?: boolean } = {}): Promise<void> => {
    // Two loads from the same cursor would show the same lines twice: each waits its turn.
    eventsLoad = eventsLoad
      .catch(() => undefined)
      .then(() => {
        if (options.restart === true) {
          events.length = 0;
          eventsCursor = undefined;
          log.restart();
        }
        return fetchEvents();
      });
    return eventsLoad;
  };
  const fetchEvents = async (): Promise<void> => {
    for (;;) {
      const page = await getJson<RunEventPage>(
        `/api/runs/${id}/events`,
        {
          limit: EVENTS_PAGE,
          cursor: eventsCursor,
          level: log.level.value,
          stream: log.stream.value === '' ? undefined : log.stream.value,
        },
        context.signal,
      );
      events.push(...page.items);
      eventsCursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    if (events.length > MAX_LOG_LINES) events.splice(0, events.length - MAX_LOG_LINES);
    log.show(events);
  };

  let sawRunning = false;
  let sawFinish = false;
  const load = async (): Promise<void> => {
    const detail = await getJson<RunDetail>(`/api/runs/${id}`, {}, context.signal);
    if (detail.finishedAt === null) sawRunning = true;
    replaceChildren(status);
    renderRun(detail);
    await loadEvents();
    // The log says when it holds the whole run (`data-complete`): at once for a run that was
    // over when it opened, else after the full read below.
    const complete = (): void => log.element.setAttribute('data-complete', 'true');
    if (detail.finishedAt !== null && !sawRunning) complete();
    if (detail.finishedAt !== null && sawRunning && !sawFinish) {
      // Log lines of the last steps may land just after the run's final progress message, and
      // while it ran a line committed after a later one was read was passed by the cursor:
      // once it is over, the log is read whole.
      sawFinish = true;
      setTimeout(
        () =>
          void loadEvents({ restart: true })
            .then(complete)
            .catch(() => undefined),
        LATE_EVENTS_MS,
      );
    }
  };
  /** Loads, and says so when it fails: in place of the page until the run was shown once. */
  const loadShown = async (): Promise<void> => {
    try {
      await load();
    } catch (error) {
      if (context.signal.aborted) return;
      if (run === undefined) replaceChildren(root, errorBox(error, `run ${id}`, retry));
      else
        replaceChildren(
          status,
          errorBox(error, `run ${id}`, () => refresh()),
        );
    }
  };
  const retry = (): void => {
    replaceChildren(root, header, status);
    replaceChildren(status, loading(`run ${id}`));
    void loadShown();
  };

  root.append(header, status);
  replaceChildren(status, loading(`run ${id}`));
  void loadShown();
  const refresh = throttled(loadShown, REFRESH_INTERVAL_MS);
  // While the run goes on, a clock redraws what was loaded so "running for" and the timeline's
  // "now" keep moving; new data comes with the live progress messages.
  const clock = setInterval(() => {
    if (run !== undefined && run.finishedAt === null) renderRun(run);
  }, CLOCK_MS);
  const unsubscribe = context.live.subscribe((progress) => {
    if (progress.runId === id) refresh();
  });
  return () => {
    unsubscribe();
    clearInterval(clock);
    timeline.destroy();
    log.destroy();
  };
};
