// The results of an experiment plan as they stand: for each asset partitioned like its study's DOE
// (the DOE itself, fan-ins such as pareto_front) the plan's partition with a link to its latest
// materialization and its metadata; for each per-design asset, how many of the plan's design
// points are built (a point another plan built counts: points are keyed by their content).
import type { PlanResults } from '../api/types.js';
import { h, link } from '../dom.js';
import { formatNumber, formatTime } from '../format.js';
import { routes } from '../router.js';

type PerPlan = PlanResults['perPlan'][number];

function metadataList(metadata: Readonly<Record<string, unknown>>): HTMLElement | null {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return null;
  return h(
    'dl',
    { class: 'facts result-metadata' },
    ...entries.flatMap(([name, value]) => [
      h('dt', {}, name),
      h(
        'dd',
        { 'data-name': name },
        typeof value === 'number'
          ? formatNumber(value)
          : typeof value === 'string'
            ? value
            : JSON.stringify(value),
      ),
    ]),
  );
}

function perPlanItem(result: PerPlan): HTMLElement {
  const { latest } = result;
  return h(
    'li',
    { 'data-asset': result.asset, 'data-built': String(latest !== null) },
    h(
      'div',
      {},
      link(routes.asset(result.asset), result.asset),
      h('code', { class: 'muted' }, `[${result.partition}]`),
      ' ',
      latest === null
        ? h('span', { class: 'muted' }, 'not materialized yet')
        : [
            link(
              routes.materialization(latest.materializationId),
              `materialization ${latest.materializationId}`,
            ),
            h(
              'span',
              { class: 'muted' },
              ` · ${formatTime(latest.materializedAt)}`,
              latest.runId === null ? '' : ` · run ${latest.runId}`,
            ),
          ],
    ),
    latest === null ? null : metadataList(latest.metadata),
  );
}

/** The results section's content. */
export function planResults(results: PlanResults | null): HTMLElement {
  if (results === null)
    return h(
      'p',
      { class: 'muted' },
      "The results cannot be read: the definitions no longer declare the plan's study or pipeline.",
    );
  return h(
    'div',
    { class: 'plan-results' },
    results.perPlan.length === 0
      ? null
      : h('ul', { class: 'per-plan-results' }, ...results.perPlan.map(perPlanItem)),
    results.perDesign.length === 0
      ? null
      : h(
          'ul',
          { class: 'per-design-results' },
          ...results.perDesign.map((result) =>
            h(
              'li',
              {
                'data-asset': result.asset,
                'data-built': result.built,
                'data-points': result.designPoints,
              },
              link(routes.asset(result.asset), result.asset),
              `: ${result.built} of ${result.designPoints} design point(s) built`,
            ),
          ),
        ),
  );
}
