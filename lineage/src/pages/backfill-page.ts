// One backfill: its status and overall progress, the runs in flight (linking to their pages),
// Pause / Resume / Cancel / Retry failed when they apply and the caller may, its settings, the
// progress per asset and its failed and held targets. Followed live while it is not finished:
// the event stream's progress of a backfill run refreshes it at once, and a poll picks up what
// no run announces (its end, a pause from elsewhere); both stop when it ends or the page is left.
import { getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { BackfillDetail, Session } from '../api/types.js';
import { backfillActions } from '../backfills/backfill-actions.js';
import { applicableActions } from '../backfills/backfill-applicable-actions.js';
import { backfillAssetsTable } from '../backfills/backfill-assets-table.js';
import { backfillPermission, type BackfillPermission } from '../backfills/backfill-permission.js';
import { backfillProblems } from '../backfills/backfill-problems.js';
import { backfillProgressBar } from '../backfills/backfill-progress-bar.js';
import { backfillSettings } from '../backfills/backfill-settings.js';
import { countsInWords } from '../backfills/backfill-words.js';
import { errorBox, loading } from '../components/feedback.js';
import { badge } from '../components/status-badge.js';
import { h, link, replaceChildren } from '../dom.js';
import type { Page } from '../page.js';
import { routes } from '../router.js';

/** At most this often a burst of progress messages reloads the backfill. */
const REFRESH_INTERVAL_MS = 500;
/** How often a running backfill is looked at without news (its end comes with no message). */
const POLL_RUNNING_MS = 1_000;
/** How often a paused one is (its runs in flight finish). */
const POLL_PAUSED_MS = 3_000;

export const backfillPage: Page<{ id: number }> = (root, { id }, context) => {
  const header = h('div', { class: 'page-header' }, h('h1', {}, `Backfill ${id}`));
  const status = h('div', { class: 'page-status' });
  const problem = h('div', { class: 'backfill-action-problem' });
  const summary = h('section', { class: 'card backfill-summary' });
  const settings = h('section', { class: 'card' });
  const assets = h('section', { class: 'card' });
  const problems = h('section', { class: 'card backfill-problems-card' });
  let shown: BackfillDetail | undefined;
  let permission: BackfillPermission | undefined;
  let poll: ReturnType<typeof setTimeout> | undefined;
  let shownHeader: string | undefined;

  const render = (backfill: BackfillDetail): void => {
    if (shown === undefined)
      replaceChildren(root, header, problem, status, summary, settings, assets, problems);
    shown = backfill;
    summary.dataset.status = backfill.status;
    // The header is drawn again only when its status or buttons change, so a poll never swaps
    // a button from under a click (or re-enables one whose action is in flight).
    const headerKey = `${backfill.status} ${applicableActions(backfill).join(' ')}`;
    if (headerKey !== shownHeader) {
      shownHeader = headerKey;
      replaceChildren(
        header,
        h('h1', {}, `Backfill ${backfill.id} `, badge(backfill.status)),
        backfillActions(backfill, permission!, problem, (now) => {
          shownHeader = undefined; // its buttons were disabled while the action was in flight
          render(now);
          schedule(now);
        }),
      );
    }
    const finished = !['running', 'paused'].includes(backfill.status);
    replaceChildren(
      summary,
      h('h2', {}, 'Progress'),
      backfillProgressBar(backfill.totals),
      h(
        'p',
        { class: 'backfill-counts' },
        `${backfill.totals.targets} targets: `,
        countsInWords(backfill.totals),
      ),
      h(
        'p',
        { class: 'backfill-runs' },
        backfill.runsInFlight.length === 0
          ? h('span', { class: 'muted' }, 'No runs in flight.')
          : [
              `${backfill.runsInFlight.length} run${backfill.runsInFlight.length === 1 ? '' : 's'} in flight: `,
              ...backfill.runsInFlight.flatMap((runId, index) => [
                index === 0 ? null : ', ',
                link(routes.run(runId), `run ${runId}`),
              ]),
            ],
      ),
      h(
        'p',
        { class: 'muted backfill-live' },
        finished
          ? 'Finished: nothing changes it any more.'
          : backfill.status === 'paused'
            ? 'Paused: no new chunk starts; runs in flight finish. Followed live.'
            : 'Followed live while it runs.',
      ),
    );
    replaceChildren(settings, h('h2', {}, 'Settings'), backfillSettings(backfill));
    replaceChildren(assets, h('h2', {}, 'Per asset'), backfillAssetsTable(backfill.assets));
    replaceChildren(problems, h('h2', {}, 'Failed and held targets'), backfillProblems(backfill));
  };

  /** Looks again later while the backfill can still change. */
  const schedule = (backfill: BackfillDetail): void => {
    clearTimeout(poll);
    poll = undefined;
    if (context.signal.aborted) return;
    if (backfill.status === 'running') poll = setTimeout(() => refresh(), POLL_RUNNING_MS);
    if (backfill.status === 'paused') poll = setTimeout(() => refresh(), POLL_PAUSED_MS);
  };

  const load = async (): Promise<void> => {
    try {
      const [backfill, session] = await Promise.all([
        getJson<BackfillDetail>(`/api/backfills/${id}`, {}, context.signal),
        permission === undefined
          ? getJson<Session>('/api/session', {}, context.signal).catch(() => undefined)
          : Promise.resolve(undefined),
      ]);
      permission ??= backfillPermission(session);
      replaceChildren(status);
      render(backfill);
      schedule(backfill);
    } catch (error) {
      if (context.signal.aborted) return;
      if (shown === undefined) replaceChildren(root, errorBox(error, `backfill ${id}`));
      else {
        replaceChildren(
          status,
          errorBox(error, `backfill ${id}`, () => refresh()),
        );
        schedule(shown);
      }
    }
  };

  root.append(header, status);
  replaceChildren(status, loading(`backfill ${id}`));
  const refresh = throttled(load, REFRESH_INTERVAL_MS);
  void load();
  const unsubscribe = context.live.subscribe((progress) => {
    if (shown === undefined || !['running', 'paused'].includes(shown.status)) return;
    if (progress.trigger === 'backfill' || shown.runsInFlight.includes(progress.runId)) refresh();
  });
  return () => {
    unsubscribe();
    clearTimeout(poll);
  };
};
