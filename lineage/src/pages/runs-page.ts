// The runs list: status, selection, trigger (with the automation daemon's reasons), progress and
// duration, newest first, updated live.
import { getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { RunPage, RunSummary } from '../api/types.js';
import { errorBox, loading } from '../components/feedback.js';
import { progressBar } from '../components/progress-bar.js';
import { badge } from '../components/status-badge.js';
import { reasonLines, triggerLabel } from '../components/trigger.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';
import type { Page } from '../page.js';
import { routes } from '../router.js';

const PAGE_SIZE = 50;
const REFRESH_INTERVAL_MS = 1_000;

export const runsPage: Page<unknown> = (root, _params, context) => {
  const filter = h(
    'select',
    { 'aria-label': 'filter runs by status' },
    ...['all', 'running', 'succeeded', 'failed', 'canceled'].map((v) =>
      h('option', { value: v }, v),
    ),
  );
  const body = h('tbody', {});
  const holder = h('div', {}, loading('runs'));
  const more = h('button', { type: 'button', hidden: true }, 'Older runs');
  let cursor: string | null = null;
  let pages = 1;

  const row = (run: RunSummary): HTMLElement =>
    h(
      'tr',
      { 'data-run': run.runId },
      h('td', {}, link(routes.run(run.runId), `run ${run.runId}`)),
      h('td', {}, badge(run.status)),
      h('td', { class: 'selection' }, run.selection),
      h(
        'td',
        { class: 'trigger-cell' },
        triggerLabel(run.trigger),
        run.triggerReason === null
          ? null
          : h(
              'div',
              { class: 'muted trigger-reason-short', title: run.triggerReason },
              reasonLines(run.triggerReason).join(' · '),
            ),
      ),
      h('td', {}, formatTime(run.createdAt)),
      h(
        'td',
        { class: 'num' },
        formatDuration(run.durationMs ?? Date.now() - Date.parse(run.createdAt)),
      ),
      h('td', {}, progressBar(run.counts, run.total)),
    );

  const load = async (): Promise<void> => {
    const status = filter.value === 'all' ? undefined : filter.value;
    const items: RunSummary[] = [];
    let next: string | null = null;
    for (let page = 0; page < pages; page++) {
      const result: RunPage = await getJson<RunPage>(
        '/api/runs',
        { limit: PAGE_SIZE, status, cursor: next ?? undefined },
        context.signal,
      );
      items.push(...result.items);
      next = result.nextCursor;
      if (next === null) break;
    }
    cursor = next;
    more.hidden = cursor === null;
    replaceChildren(body, ...items.map(row));
    replaceChildren(
      holder,
      items.length === 0
        ? h(
            'p',
            { class: 'muted' },
            'No runs yet. Launch one from the asset graph or with `strata materialize`.',
          )
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'runs' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...['run', 'status', 'selection', 'trigger', 'started', 'duration', 'steps'].map(
                    (t) => h('th', {}, t),
                  ),
                ),
              ),
              body,
            ),
          ),
    );
  };
  const reload = (): void => {
    load().catch((error: unknown) => {
      if (!context.signal.aborted) replaceChildren(holder, errorBox(error, 'runs'));
    });
  };
  filter.addEventListener('change', () => {
    pages = 1;
    reload();
  });
  more.addEventListener('click', () => {
    pages += 1;
    reload();
  });
  root.append(h('div', { class: 'page-header' }, h('h1', {}, 'Runs'), filter), holder, more);
  reload();
  const refresh = throttled(load, REFRESH_INTERVAL_MS);
  return context.live.subscribe(() => refresh());
};
