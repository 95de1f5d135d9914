// The experiment plans, newest first: id, title, study, state, who proposed it and when, and
// how many design points it has; filtered by state (in the URL: #/plans?state=proposed).
import { getJson } from '../api/client.js';
import type { PlanList, PlanSummary } from '../api/types.js';
import { errorBox, loading } from '../components/feedback.js';
import { planBadge } from '../components/plan-history.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatTime, timeAgo } from '../format.js';
import type { Page } from '../page.js';
import { navigate, routes } from '../router.js';

const STATES = ['proposed', 'approved', 'rejected', 'withdrawn'] as const;

export const plansPage: Page<{ state?: string }> = (root, params, context) => {
  const filter = h(
    'select',
    { 'aria-label': 'filter plans by state' },
    h('option', { value: 'all' }, 'all'),
    ...STATES.map((state) => h('option', { value: state }, state)),
  );
  filter.value =
    params.state !== undefined && (STATES as readonly string[]).includes(params.state)
      ? params.state
      : 'all';
  filter.addEventListener('change', () =>
    navigate(routes.plans(filter.value === 'all' ? undefined : filter.value)),
  );
  const holder = h('div', {}, loading('the plans'));
  root.append(h('div', { class: 'page-header' }, h('h1', {}, 'Plans'), filter), holder);

  const row = (plan: PlanSummary): HTMLElement =>
    h(
      'tr',
      { 'data-plan': plan.id, 'data-state': plan.state },
      h('td', {}, link(routes.plan(plan.id), h('code', {}, plan.id))),
      h('td', { class: 'title' }, link(routes.plan(plan.id), plan.title)),
      h('td', {}, plan.study),
      h('td', {}, planBadge(plan.state)),
      h('td', {}, plan.proposedBy),
      h(
        'td',
        {},
        formatTime(plan.proposedAt),
        ' ',
        h('span', { class: 'muted' }, `(${timeAgo(plan.proposedAt)})`),
      ),
      h('td', { class: 'num points' }, plan.pointCount ?? '–'),
    );

  const load = async (): Promise<void> => {
    const state = filter.value === 'all' ? undefined : filter.value;
    const { plans } = await getJson<PlanList>('/api/plans', { state }, context.signal);
    replaceChildren(
      holder,
      plans.length === 0
        ? h(
            'p',
            { class: 'muted' },
            state === undefined
              ? 'No plans yet. A planner proposes one with `strata plans propose FILE`, over MCP or POST /api/plans.'
              : `No ${state} plans.`,
          )
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'plans' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...['plan', 'title', 'study', 'state', 'proposed by', 'when'].map((t) =>
                    h('th', {}, t),
                  ),
                  h('th', { class: 'num' }, 'points'),
                ),
              ),
              h('tbody', {}, ...plans.map(row)),
            ),
          ),
    );
  };
  load().catch((error: unknown) => {
    if (!context.signal.aborted) replaceChildren(holder, errorBox(error, 'the plans'));
  });
};
