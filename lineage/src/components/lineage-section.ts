// The lineage card of a materialization page: the materialization in the middle, highlighted and
// scrolled into view, with what it was built from and what was built from it to a small depth
// (2 levels each way), and buttons that expand a side by one level, or to all levels, on demand.
// Each side is fetched one level deeper than drawn, to know whether there is more.
import { getJson } from '../api/client.js';
import type { Lineage } from '../api/types.js';
import { lineageDag } from '../charts/lineage-dag.js';
import { h, replaceChildren } from '../dom.js';
import { errorBox, loading } from './feedback.js';

/** Levels drawn on each side at first. */
export const INITIAL_LINEAGE_DEPTH = 2;

type Direction = Lineage['direction'];
/** Levels drawn on one side; null: all of them. */
type Depth = number | null;

/** One side as drawn, and how many materializations the next level holds. */
interface Side {
  readonly nodes: Lineage['nodes'];
  readonly edges: Lineage['edges'];
  readonly beyond: number;
}

/** The card; `observation`: the materialization is an observation of a source asset. */
export function lineageSection(
  materializationId: number,
  observation: boolean,
  signal: AbortSignal,
): HTMLElement {
  const depth: Record<Direction, Depth> = {
    upstream: INITIAL_LINEAGE_DEPTH,
    downstream: INITIAL_LINEAGE_DEPTH,
  };
  const holder = h('div', {}, loading('lineage'));
  const controls = h('div', { class: 'row lineage-controls' });
  const fetchSide = async (direction: Direction): Promise<Side> => {
    const levels = depth[direction];
    const lineage = await getJson<Lineage>(
      `/api/materializations/${materializationId}/lineage`,
      { direction, depth: levels === null ? undefined : levels + 1 },
      signal,
    );
    const nodes = lineage.nodes.filter((node) => levels === null || node.depth <= levels);
    const kept = new Set(nodes.map((node) => node.materializationId));
    return {
      nodes,
      edges: lineage.edges.filter((edge) => kept.has(edge.from) && kept.has(edge.to)),
      beyond: lineage.nodes.length - nodes.length,
    };
  };
  /** Counts loads, so an answer that arrives after a newer request's is dropped. */
  let generation = 0;
  const load = async (): Promise<void> => {
    const mine = ++generation;
    const [upstream, downstream] = await Promise.all([
      fetchSide('upstream'),
      fetchSide('downstream'),
    ]);
    if (mine !== generation) return;
    section.dataset.depthUp = String(depth.upstream ?? 'all');
    section.dataset.depthDown = String(depth.downstream ?? 'all');
    replaceChildren(
      controls,
      sideControl('upstream', 'built from', upstream, depth.upstream, expand),
      sideControl('downstream', 'used by', downstream, depth.downstream, expand),
      upstream.beyond + downstream.beyond > 0
        ? h('button', { type: 'button', onclick: () => expand(null) }, 'Show all levels')
        : null,
    );
    if (upstream.nodes.length <= 1 && downstream.nodes.length <= 1) {
      replaceChildren(
        holder,
        h(
          'p',
          { class: 'muted' },
          observation
            ? 'Observed outside strata, and nothing was built from it yet.'
            : 'Built from no other materialization, and nothing was built from it yet.',
        ),
      );
      return;
    }
    const dag = lineageDag({ root: materializationId, upstream, downstream });
    replaceChildren(holder, dag.element);
    dag.centreOnFocus();
  };
  const run = (): void => {
    load().catch((error: unknown) => {
      if (!signal.aborted) replaceChildren(holder, errorBox(error, 'lineage'));
    });
  };
  /** One more level on `direction`'s side, or (null) all levels on both. */
  function expand(direction: Direction | null): void {
    if (direction === null) depth.upstream = depth.downstream = null;
    else if (depth[direction] !== null) depth[direction] = depth[direction] + 1;
    run();
  }
  const section = h(
    'section',
    { class: 'card', 'data-section': 'Lineage' },
    h('h2', {}, 'Lineage'),
    controls,
    holder,
  );
  run();
  return section;
}

/** "built from: 2 levels, 16 more at the next [Expand]" for one side. */
function sideControl(
  direction: Direction,
  label: string,
  side: Side,
  levels: Depth,
  expand: (direction: Direction) => void,
): HTMLElement {
  const drawn = levels === null ? 'all levels' : `${levels} level${levels === 1 ? '' : 's'}`;
  return h(
    'span',
    { class: 'lineage-side', 'data-direction': direction },
    h('strong', {}, `${label}: `),
    side.nodes.length <= 1 ? 'nothing' : drawn,
    side.beyond === 0
      ? null
      : [
          h('span', { class: 'muted' }, ` (${side.beyond} more at the next level) `),
          h(
            'button',
            { type: 'button', onclick: () => expand(direction) },
            direction === 'upstream' ? 'Expand upstream' : 'Expand downstream',
          ),
        ],
  );
}
