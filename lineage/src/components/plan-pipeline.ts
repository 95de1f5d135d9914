// A plan's pipeline on the asset graph: the graph page's canvas view with the pipeline's assets
// outlined and everything else dimmed (framed on the pipeline), beside the assets in the order
// they are built, each marked when a checkpoint pauses the plan after it. Double-click opens an
// asset's page.
import { getJson } from '../api/client.js';
import type { GraphColumns, PlanDetail } from '../api/types.js';
import { h, link, replaceChildren } from '../dom.js';
import { decodeGraph } from '../graph/graph-data.js';
import { GraphView } from '../graph/graph-view.js';
import { navigate, routes } from '../router.js';
import { errorBox, loading } from './feedback.js';

/** The pipeline section's body and its cleanup. */
export function planPipeline(
  plan: PlanDetail,
  signal: AbortSignal,
): { element: HTMLElement; destroy(): void } {
  const keys = plan.pipelineAssets;
  const checkpoints = new Map(plan.document.checkpoints.map((c) => [c.after, c.note]));
  const list =
    keys === null
      ? h(
          'p',
          { class: 'error-box' },
          `The pipeline ${plan.document.pipeline} no longer resolves against the definitions.`,
        )
      : h(
          'ol',
          { class: 'pipeline-assets' },
          ...keys.map((key) =>
            h(
              'li',
              { 'data-asset': key, class: 'in-pipeline' },
              link(routes.asset(key), key),
              checkpoints.has(key)
                ? h(
                    'span',
                    { class: 'tag checkpoint-tag', title: checkpoints.get(key) ?? '' },
                    'checkpoint after',
                  )
                : null,
            ),
          ),
        );
  const holder = h('div', { class: 'plan-graph' }, loading('the asset graph'));
  let view: GraphView | undefined;
  getJson<GraphColumns>('/api/graph', {}, signal)
    .then((columns) => {
      if (signal.aborted) return;
      // Made once the holder is on the page: its first size frames the pipeline.
      view = new GraphView({
        onSelect: () => undefined,
        onOpen: (key) => navigate(routes.asset(key)),
      });
      replaceChildren(holder, view.element);
      view.setGraph(decodeGraph(columns));
      view.setMatches(keys ?? []);
    })
    .catch((error: unknown) => {
      if (!signal.aborted) replaceChildren(holder, errorBox(error, 'the asset graph'));
    });
  return {
    element: h(
      'div',
      { class: 'plan-pipeline' },
      h(
        'div',
        { class: 'pipeline-list' },
        h(
          'p',
          {},
          'Selection ',
          h('code', {}, plan.document.pipeline),
          keys === null ? null : `: ${keys.length} asset(s), in the order they are built`,
        ),
        list,
      ),
      holder,
    ),
    destroy: () => view?.destroy(),
  };
}
