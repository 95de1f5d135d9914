// One run: status and progress, cancel/resume, its timeline (Gantt) with retries, skips and
// reuse, the selected step's details, and its log. Follows the run live until it finishes.
import { getJson, postJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { RunActionResult, RunDetail, RunEvent, RunEventPage, RunStep } from '../api/types.js';
import { describe, ganttChart, MAX_GANTT_ROWS } from '../charts/gantt.js';
import { errorBox, loading, notify } from '../components/feedback.js';
import { progressBar } from '../components/progress-bar.js';
import { slurmJobText } from '../components/slurm-job.js';
import { badge } from '../components/status-badge.js';
import { triggerLabel, triggerReason } from '../components/trigger.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';
import type { Page } from '../page.js';
import { routes } from '../router.js';

const REFRESH_INTERVAL_MS = 700;
/** Events fetched per request while catching up with the log. */
const EVENTS_PAGE = 500;
/** Log lines kept on the page (older ones are dropped from view, not from the database). */
const MAX_LOG_LINES = 5_000;
/** One more look at the log this long after the run is seen finished. */
const LATE_EVENTS_MS = 1_000;
/** How often a running run's durations and "now" line move. */
const CLOCK_MS = 2_000;

export const runPage: Page<{ id: number }> = (root, { id }, context) => {
  const header = h('div', { class: 'page-header' }, h('h1', {}, `Run ${id}`));
  const summary = h('section', { class: 'card' }, loading(`run ${id}`));
  const timeline = h('div', { class: 'gantt-wrap' });
  const stepDetail = h('div', { class: 'step-detail' });
  const logLevel = h(
    'select',
    { 'aria-label': 'log level' },
    ...['debug', 'info', 'warn', 'error'].map((l) =>
      h('option', { value: l, selected: l === 'info' }, `${l} and above`),
    ),
  );
  const logStep = h('span', { class: 'muted' });
  const log = h('ol', { class: 'log', 'aria-live': 'off' });
  root.append(
    header,
    summary,
    h('section', { class: 'card' }, h('h2', {}, 'Timeline'), timeline, stepDetail),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Log'),
      h('div', { class: 'row' }, logLevel, logStep),
      log,
    ),
  );

  let run: RunDetail | undefined;
  let eventsCursor: string | undefined;
  let onlyStep: number | undefined;
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
    replaceChildren(
      timeline,
      detail.steps.length === 0
        ? h('p', { class: 'muted' }, 'No steps.')
        : ganttChart(detail, Date.now(), showStep),
      detail.steps.length > MAX_GANTT_ROWS
        ? h(
            'p',
            { class: 'muted' },
            `The first ${MAX_GANTT_ROWS} of ${detail.steps.length} steps by start time.`,
          )
        : null,
      h(
        'div',
        { class: 'gantt-legend' },
        ...['succeeded', 'failed', 'timed_out', 'lost', 'running', 'canceled'].map((s) =>
          h('span', {}, h('i', { class: `attempt-${s}` }), s.replace('_', ' ')),
        ),
        h('span', {}, h('i', { class: 'marker-reused' }), 'reused'),
        h('span', {}, h('i', { class: 'marker-fresh' }), 'cut off'),
      ),
    );
  };

  const showStep = (step: RunStep): void => {
    const label = `${step.key}${step.partition === null ? '' : `[${step.partition}]`}`;
    const attempts = (run?.attempts ?? []).filter((a) => a.stepId === step.stepId);
    onlyStep = onlyStep === step.stepId ? undefined : step.stepId;
    replaceChildren(
      stepDetail,
      h('h3', {}, link(routes.asset(step.key), label), ' ', badge(step.status)),
      h('p', {}, describe(step)),
      step.materializationId === null
        ? null
        : h(
            'p',
            {},
            'materialization ',
            link(routes.materialization(step.materializationId), `#${step.materializationId}`),
          ),
      attempts.length === 0
        ? null
        : h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['attempt', 'status', 'worker', 'started', 'took', 'error'].map((t) =>
                  h('th', {}, t),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...attempts.map((a) =>
                h(
                  'tr',
                  {},
                  h('td', {}, String(a.number)),
                  h('td', {}, badge(a.status)),
                  h(
                    'td',
                    {},
                    a.workerId,
                    a.slurm === null
                      ? null
                      : h('div', { class: 'slurm-job' }, slurmJobText(a.slurm)),
                  ),
                  h('td', {}, formatTime(a.startedAt)),
                  h(
                    'td',
                    {},
                    formatDuration(
                      a.finishedAt === null
                        ? null
                        : Date.parse(a.finishedAt) - Date.parse(a.startedAt),
                    ),
                  ),
                  h('td', { class: 'error-text' }, a.error ?? ''),
                ),
              ),
            ),
          ),
    );
    logStep.textContent =
      onlyStep === undefined
        ? ''
        : `showing the log of ${label} only (click the step again for all)`;
    renderLog();
  };

  const renderLog = (): void => {
    const shown = onlyStep === undefined ? events : events.filter((e) => e.stepId === onlyStep);
    replaceChildren(
      log,
      ...shown
        .slice(-MAX_LOG_LINES)
        .map((event) =>
          h(
            'li',
            { class: `log-${event.level}` },
            h(
              'time',
              { datetime: event.createdAt },
              new Date(event.createdAt).toLocaleTimeString(undefined, { hour12: false }),
            ),
            h('span', { class: 'level' }, event.level),
            event.assetKey === null
              ? null
              : h(
                  'span',
                  { class: 'subject' },
                  `${event.assetKey}${event.partition === null ? '' : `[${event.partition}]`}`,
                ),
            h('span', { class: 'message' }, event.message),
          ),
        ),
    );
    if (shown.length === 0) log.append(h('li', { class: 'muted' }, 'No log lines at this level.'));
  };

  const loadEvents = async (): Promise<void> => {
    for (;;) {
      const page = await getJson<RunEventPage>(
        `/api/runs/${id}/events`,
        { limit: EVENTS_PAGE, cursor: eventsCursor, level: logLevel.value },
        context.signal,
      );
      events.push(...page.items);
      eventsCursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    if (events.length > MAX_LOG_LINES) events.splice(0, events.length - MAX_LOG_LINES);
    renderLog();
  };

  let sawFinish = false;
  const load = async (): Promise<void> => {
    const detail = await getJson<RunDetail>(`/api/runs/${id}`, {}, context.signal);
    renderRun(detail);
    await loadEvents();
    if (detail.finishedAt !== null && !sawFinish) {
      // Log lines of the last steps may land just after the run's final progress message.
      sawFinish = true;
      setTimeout(() => void loadEvents().catch(() => undefined), LATE_EVENTS_MS);
    }
  };
  logLevel.addEventListener('change', () => {
    events.length = 0;
    eventsCursor = undefined;
    loadEvents().catch((error: unknown) => replaceChildren(log, errorBox(error, 'the log')));
  });
  load().catch((error: unknown) => {
    if (!context.signal.aborted) replaceChildren(summary, errorBox(error, `run ${id}`));
  });
  const refresh = throttled(load, REFRESH_INTERVAL_MS);
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
  };
};
