// A backfill's failed and held targets (the first 50, as the API lists them): asset and
// partition linking to the asset's page, the state, the error or what a held target waits for,
// and the run it failed in.
import type { BackfillDetail, BackfillProblem } from '../api/types.js';
import { badge } from '../components/status-badge.js';
import { h, link } from '../dom.js';
import { routes } from '../router.js';

/** The section's content: the table, or a line saying there are none. */
export function backfillProblems(backfill: BackfillDetail): HTMLElement {
  const { problems, totals } = backfill;
  if (problems.length === 0)
    return h('p', { class: 'muted backfill-no-problems' }, 'No failed or held targets.');
  const total = totals.failed + totals.held;
  return h(
    'div',
    {},
    total > problems.length
      ? h('p', { class: 'muted' }, `The first ${problems.length} of ${total}.`)
      : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'backfill-problems' },
        h(
          'thead',
          {},
          h('tr', {}, ...['asset', 'partition', 'state', 'why', 'run'].map((c) => h('th', {}, c))),
        ),
        h('tbody', {}, ...problems.map(problemRow)),
      ),
    ),
  );
}

function problemRow(problem: BackfillProblem): HTMLElement {
  const why =
    problem.error ??
    (problem.state === 'held' ? 'held back by a blocking check' : 'its step failed');
  return h(
    'tr',
    {
      'data-asset': problem.key,
      'data-partition': problem.partition ?? '',
      'data-state': problem.state,
    },
    h('td', {}, link(routes.asset(problem.key), problem.key)),
    h('td', {}, problem.partition ?? h('span', { class: 'muted' }, 'unpartitioned')),
    h('td', {}, badge(problem.state === 'held' ? 'blocked' : 'failed', problem.state)),
    h('td', { class: 'backfill-problem-error' }, why),
    h(
      'td',
      {},
      problem.runId === null ? '–' : link(routes.run(problem.runId), `run ${problem.runId}`),
    ),
  );
}
