// A plot of one numeric metadata field over time (SVG): one point per materialization, joined
// by a line when the asset has a single partition. Hovering a point names its partition, value
// and time; clicking opens the materialization.
import { h, s } from '../dom.js';
import { formatDuration, formatNumber, formatTime } from '../format.js';
import { navigate, routes } from '../router.js';
import { extent, linear, niceTicks } from './scale.js';

/** One point of the series. */
export interface MetricPoint {
  readonly time: number;
  readonly value: number;
  readonly partition: string | null;
  readonly materializationId: number;
}

const WIDTH = 420;
const HEIGHT = 190;
const MARGIN = { left: 62, right: 12, top: 12, bottom: 34 };

/** The chart of `field`. */
export function metricChart(field: string, points: readonly MetricPoint[]): HTMLElement {
  const sorted = [...points].sort((a, b) => a.time - b.time);
  const [t0, t1] = extent(sorted.map((p) => p.time));
  const [v0, v1] = extent(sorted.map((p) => p.value));
  const x = linear(t0, t1, MARGIN.left, WIDTH - MARGIN.right);
  const y = linear(v0, v1, HEIGHT - MARGIN.bottom, MARGIN.top);
  const valueTicks = niceTicks(v0, v1, 4).filter((v) => v >= v0 && v <= v1);
  const timeTicks = niceTicks(0, t1 - t0, 3)
    .map((offset) => t0 + offset)
    .filter((t) => t <= t1);
  const onePartition = new Set(sorted.map((p) => p.partition)).size === 1;
  const tooltip = h('div', { class: 'chart-tooltip', hidden: true });
  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      class: 'metric-chart',
      role: 'img',
      'aria-label': `${field} over time`,
    },
    ...valueTicks.map((v) => [
      s('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(v), y2: y(v), class: 'grid' }),
      s(
        'text',
        { x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' },
        formatNumber(v),
      ),
    ]),
    ...timeTicks.map((t) =>
      s(
        'text',
        { x: x(t), y: HEIGHT - MARGIN.bottom + 18, 'text-anchor': 'middle', class: 'tick' },
        shortTime(t, t1 - t0, t0),
      ),
    ),
    s('line', {
      x1: MARGIN.left,
      x2: WIDTH - MARGIN.right,
      y1: HEIGHT - MARGIN.bottom,
      y2: HEIGHT - MARGIN.bottom,
      class: 'axis',
    }),
    onePartition && sorted.length > 1
      ? s('polyline', {
          points: sorted.map((p) => `${x(p.time)},${y(p.value)}`).join(' '),
          class: 'series',
        })
      : null,
    ...sorted.map((p) => {
      const dot = s('circle', { cx: x(p.time), cy: y(p.value), r: 4, class: 'point', tabindex: 0 });
      const label = `${p.partition === null ? '' : `${p.partition}: `}${formatNumber(p.value)} at ${formatTime(new Date(p.time).toISOString())}`;
      dot.append(s('title', {}, label));
      dot.addEventListener('mouseenter', () => {
        tooltip.textContent = label;
        tooltip.hidden = false;
        tooltip.style.left = `${(x(p.time) / WIDTH) * 100}%`;
        tooltip.style.top = `${(y(p.value) / HEIGHT) * 100}%`;
      });
      dot.addEventListener('mouseleave', () => (tooltip.hidden = true));
      dot.addEventListener('click', () => navigate(routes.materialization(p.materializationId)));
      return dot;
    }),
  );
  return h(
    'figure',
    { class: 'chart', 'data-field': field },
    h('figcaption', {}, field, h('span', { class: 'muted' }, ` · ${sorted.length} point(s)`)),
    h('div', { class: 'chart-body' }, svg, tooltip),
  );
}

/** A time tick: seconds after the first point within a minute, clock time within a day, else the date. */
function shortTime(time: number, span: number, first: number): string {
  const date = new Date(time);
  if (span < 60_000)
    return time === first
      ? date.toLocaleTimeString(undefined, { hour12: false })
      : `+${formatDuration(time - first)}`;
  return span < 86_400_000
    ? date.toLocaleTimeString(undefined, { hour12: false })
    : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** The numeric metadata fields of a history, as chart series (fields with no numbers left out). */
export function numericSeries(
  items: readonly {
    metadata: Record<string, unknown>;
    finishedAt: string;
    partition: string | null;
    materializationId: number;
  }[],
): Map<string, MetricPoint[]> {
  const series = new Map<string, MetricPoint[]>();
  for (const item of items) {
    for (const [field, value] of Object.entries(item.metadata)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      let points = series.get(field);
      if (points === undefined) series.set(field, (points = []));
      points.push({
        time: Date.parse(item.finishedAt),
        value,
        partition: item.partition,
        materializationId: item.materializationId,
      });
    }
  }
  return series;
}
