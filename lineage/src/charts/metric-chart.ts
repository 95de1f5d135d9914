// A plot of one numeric metadata field (SVG), over time or per partition. Over time: one point
// per materialization, joined by a line when the asset has a single partition; a single instant
// gets a small window around it. Per partition: the latest value of each partition, the keys on a
// categorical x axis. Hovering a point names its partition, value and time in a tooltip kept
// inside the chart; clicking opens the materialization.
import { h, s } from '../dom.js';
import { formatNumber, formatTime } from '../format.js';
import { navigate, routes } from '../router.js';
import { chartTooltip } from './chart-tooltip.js';
import type { MetricPoint } from './metric-series.js';
import { partitionAxis } from './partition-axis.js';
import { extent, linear, niceTicks, timeExtent, timeTicks } from './scale.js';

export type { MetricPoint } from './metric-series.js';

/** What the x axis shows. */
export type ChartMode = 'time' | 'partition';

const WIDTH = 420;
/** Height of the plotting area (the axis labels add theirs). */
const PLOT_HEIGHT = 144;
const MARGIN = { left: 62, right: 12, top: 12 };

/** The x axis of a chart: where a point goes, its tick labels and the room they need. */
interface XAxis {
  x(point: MetricPoint): number;
  readonly ticks: readonly SVGElement[];
  readonly labelHeight: number;
  readonly attributes: Record<string, string | number>;
}

/**
 * The chart of `field`. In partition mode `points` should hold one point per partition
 * (latestPerPartition).
 */
export function metricChart(
  field: string,
  points: readonly MetricPoint[],
  mode: ChartMode = 'time',
): HTMLElement {
  const sorted = [...points].sort((a, b) => a.time - b.time);
  const axisY = MARGIN.top + PLOT_HEIGHT;
  const xAxis = mode === 'time' ? timeAxis(sorted, axisY) : categoryAxis(sorted, axisY);
  const height = axisY + xAxis.labelHeight;
  const [v0, v1] = extent(sorted.map((p) => p.value));
  const y = linear(v0, v1, axisY, MARGIN.top);
  const valueTicks = niceTicks(v0, v1, 4).filter((v) => v >= v0 && v <= v1);
  const onePartition = new Set(sorted.map((p) => p.partition)).size === 1;
  const body = h('div', { class: 'chart-body' });
  const tooltip = chartTooltip(body);
  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${height}`,
      class: 'metric-chart',
      role: 'img',
      'aria-label': mode === 'time' ? `${field} over time` : `${field} per partition`,
      'data-mode': mode,
      ...xAxis.attributes,
    },
    ...valueTicks.map((v) => [
      s('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(v), y2: y(v), class: 'grid' }),
      s(
        'text',
        { x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' },
        formatNumber(v),
      ),
    ]),
    ...xAxis.ticks,
    s('line', {
      x1: MARGIN.left,
      x2: WIDTH - MARGIN.right,
      y1: axisY,
      y2: axisY,
      class: 'axis',
    }),
    mode === 'time' && onePartition && sorted.length > 1
      ? s('polyline', {
          points: sorted.map((p) => `${xAxis.x(p)},${y(p.value)}`).join(' '),
          class: 'series',
        })
      : null,
    ...sorted.map((p) => {
      const [cx, cy] = [xAxis.x(p), y(p.value)];
      const dot = s('circle', {
        cx,
        cy,
        r: 4,
        class: 'point',
        tabindex: 0,
        'data-partition': p.partition ?? undefined,
      });
      const label = `${p.partition === null ? '' : `${p.partition}: `}${formatNumber(p.value)} at ${formatTime(new Date(p.time).toISOString())}`;
      dot.append(s('title', {}, label));
      const show = (): void => tooltip.show(label, cx / WIDTH, cy / height);
      dot.addEventListener('mouseenter', show);
      dot.addEventListener('focus', show);
      dot.addEventListener('mouseleave', () => tooltip.hide());
      dot.addEventListener('blur', () => tooltip.hide());
      dot.addEventListener('click', () => navigate(routes.materialization(p.materializationId)));
      return dot;
    }),
  );
  body.append(svg, tooltip.element);
  return h(
    'figure',
    { class: 'chart', 'data-field': field, 'data-mode': mode },
    h(
      'figcaption',
      {},
      field,
      h(
        'span',
        { class: 'muted' },
        mode === 'time' ? ` · ${sorted.length} point(s)` : ` · ${sorted.length} partition(s)`,
      ),
    ),
    body,
  );
}

/** Time on x: round ticks over the points' span, or a small window around a single instant. */
function timeAxis(points: readonly MetricPoint[], axisY: number): XAxis {
  const [t0, t1] = timeExtent(points.map((p) => p.time));
  const x = linear(t0, t1, MARGIN.left, WIDTH - MARGIN.right);
  return {
    x: (p) => x(p.time),
    ticks: timeTicks(t0, t1, 3).map((tick) =>
      s(
        'text',
        { x: x(tick.time), y: axisY + 16, 'text-anchor': 'middle', class: 'tick x-tick' },
        tick.label,
      ),
    ),
    labelHeight: 22,
    attributes: { 'data-x-start': t0, 'data-x-end': t1 },
  };
}

/** Partition keys on x, one slot each. */
function categoryAxis(points: readonly MetricPoint[], axisY: number): XAxis {
  const axis = partitionAxis(
    points.map((p) => p.partition ?? ''),
    MARGIN.left,
    WIDTH - MARGIN.right,
  );
  return {
    x: (p) => axis.x(p.partition ?? ''),
    ticks: axis.labels.map((label) =>
      s(
        'text',
        axis.slanted
          ? {
              x: label.x,
              y: axisY + 12,
              'text-anchor': 'end',
              transform: `rotate(-45 ${label.x} ${axisY + 12})`,
              class: 'tick x-tick',
              'data-partition': label.key,
            }
          : {
              x: label.x,
              y: axisY + 16,
              'text-anchor': 'middle',
              class: 'tick x-tick',
              'data-partition': label.key,
            },
        label.text,
        label.text === label.key ? null : s('title', {}, label.key),
      ),
    ),
    labelHeight: axis.labelHeight,
    attributes: { 'data-partitions': axis.keys.length },
  };
}
