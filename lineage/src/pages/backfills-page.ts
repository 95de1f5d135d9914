// The backfills list: newest first, each with its status, selection, who created it and when, a
// bar of its targets (done, failed, held, remaining) and its runs in flight; and the form that
// starts one (open when the URL names a selection: #/backfills?select=mesh, the asset page's
// "Backfill…"). Followed live while any backfill is running or paused.
import { getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { BackfillList, BackfillSummary, Session } from '../api/types.js';
import { backfillForm } from '../backfills/backfill-form.js';
import { backfillPermission, type BackfillPermission } from '../backfills/backfill-permission.js';
import { backfillProgressBar } from '../backfills/backfill-progress-bar.js';
import { errorBox, loading } from '../components/feedback.js';
import { badge } from '../components/status-badge.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatTime } from '../format.js';
import type { Page } from '../page.js';
import { routes } from '../router.js';

const REFRESH_INTERVAL_MS = 1_000;
/** How often the list is looked at while a backfill is unfinished (ends come with no message). */
const POLL_MS = 2_000;

function row(backfill: BackfillSummary): HTMLElement {
  return h(
    'tr',
    { 'data-backfill': backfill.id, 'data-status': backfill.status },
    h('td', {}, link(routes.backfill(backfill.id), `backfill ${backfill.id}`)),
    h('td', {}, badge(backfill.status)),
    h('td', { class: 'selection' }, backfill.selection),
    h('td', {}, backfill.launchedBy ?? '–'),
    h('td', {}, formatTime(backfill.createdAt)),
    h('td', {}, backfillProgressBar(backfill.totals)),
    h('td', { class: 'num', 'data-field': 'runs-in-flight' }, backfill.runsInFlight),
  );
}

function emptyState(): HTMLElement {
  return h(
    'p',
    { class: 'muted backfills-empty' },
    'No backfills yet — start one with ',
    h('code', {}, 'strata backfill SELECTION --from … --to …'),
    ' or the form.',
  );
}

export const backfillsPage: Page<{ select?: string }> = (root, { select }, context) => {
  const holder = h('div', {}, loading('backfills'));
  const formHolder = h('div', {});
  const newButton = h(
    'button',
    { type: 'button', class: 'primary', hidden: true },
    'New backfill…',
  );
  let permission: BackfillPermission | undefined;
  let poll: ReturnType<typeof setTimeout> | undefined;

  const showForm = (selection: string): void => {
    if (permission === undefined) return;
    replaceChildren(formHolder, backfillForm(selection, permission));
    newButton.hidden = true;
    formHolder.querySelector<HTMLInputElement>('input[name="selection"]')?.focus();
  };
  newButton.addEventListener('click', () => showForm(''));

  const load = async (): Promise<void> => {
    const [list, session] = await Promise.all([
      getJson<BackfillList>('/api/backfills', {}, context.signal),
      permission === undefined
        ? getJson<Session>('/api/session', {}, context.signal).catch(() => undefined)
        : Promise.resolve(undefined),
    ]);
    if (permission === undefined) {
      permission = backfillPermission(session);
      if (select !== undefined) showForm(select);
      else newButton.hidden = permission.kind === 'forbidden';
      newButton.disabled = permission.kind === 'read-only';
      if (permission.kind === 'read-only') newButton.title = permission.reason;
    }
    replaceChildren(
      holder,
      list.items.length === 0
        ? emptyState()
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'backfills' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...[
                    'backfill',
                    'status',
                    'selection',
                    'created by',
                    'created',
                    'targets',
                    'runs in flight',
                  ].map((t) => h('th', { class: t === 'runs in flight' ? 'num' : undefined }, t)),
                ),
              ),
              h('tbody', {}, ...list.items.map(row)),
            ),
          ),
    );
    clearTimeout(poll);
    if (
      list.items.some((b) => b.status === 'running' || b.status === 'paused') &&
      !context.signal.aborted
    )
      poll = setTimeout(() => refresh(), POLL_MS);
  };
  const refresh = throttled(async () => {
    try {
      await load();
    } catch (error) {
      if (!context.signal.aborted) replaceChildren(holder, errorBox(error, 'backfills'));
    }
  }, REFRESH_INTERVAL_MS);

  root.append(
    h(
      'div',
      { class: 'page-header' },
      h('h1', {}, 'Backfills'),
      h('div', { class: 'actions' }, newButton),
    ),
    formHolder,
    holder,
  );
  refresh();
  const unsubscribe = context.live.subscribe((progress) => {
    if (progress.trigger === 'backfill') refresh();
  });
  return () => {
    unsubscribe();
    clearTimeout(poll);
  };
};
