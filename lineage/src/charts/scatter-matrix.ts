// A scatter-plot matrix (SVG): one small scatter per pair of numeric variables (the lower
// triangle: row i plots variable i+1 against the column's variable), points coloured by the
// level of one categorical variable with a legend, tick labels on the outer panels, and an
// optional shaded region per axis (a plan's bounds inside its study's). Hovering a point names
// it and its values and lights the same point in every panel. With one variable it draws one
// strip; with none, a note.
import { h, replaceChildren, s } from '../dom.js';
import { formatNumber } from '../format.js';
import { linear, niceTicks } from './scale.js';

/** One numeric variable: its axis covers `domain`; `region` (if any) is shaded. */
export interface ScatterAxis {
  readonly name: string;
  readonly domain: readonly [number, number];
  readonly region?: readonly [number, number];
}

/** One point: a key and a value per variable. */
export interface ScatterPoint {
  readonly key: string;
  readonly values: Readonly<Record<string, number | string>>;
}

/** What to draw. */
export interface ScatterMatrixOptions {
  readonly axes: readonly ScatterAxis[];
  readonly points: readonly ScatterPoint[];
  /** The categorical variable points are coloured by, with its levels in legend order. */
  readonly colorBy?: { readonly name: string; readonly levels: readonly string[] };
  /** Names the chart for screen readers. */
  readonly label?: string;
}

const PANEL = 150;
const GAP = 14;
const LEFT = 52;
const BOTTOM = 40;
const TOP = 8;
const RIGHT = 18;
const RADIUS = 3.5;
/** Level colours, in legend order; points of another level are grey. */
export const LEVEL_COLORS = [
  '#2f74d8',
  '#d2413f',
  '#2f9e62',
  '#d99a1e',
  '#7b3fc4',
  '#2a9d9a',
  '#c2185b',
  '#5d6d7e',
];
const OTHER_COLOR = '#9aa5b5';

/** The colour of `level` among `levels`. */
function colorOf(levels: readonly string[], level: unknown): string {
  const index = typeof level === 'string' ? levels.indexOf(level) : -1;
  return index < 0 ? OTHER_COLOR : LEVEL_COLORS[index % LEVEL_COLORS.length]!;
}

/** The pairs drawn: [x axis, y axis, row, column] of each panel. */
function panelsOf(
  axes: readonly ScatterAxis[],
): [ScatterAxis, ScatterAxis | undefined, number, number][] {
  if (axes.length === 1) return [[axes[0]!, undefined, 0, 0]];
  const panels: [ScatterAxis, ScatterAxis | undefined, number, number][] = [];
  for (let row = 0; row < axes.length - 1; row++)
    for (let column = 0; column <= row; column++)
      panels.push([axes[column]!, axes[row + 1]!, row, column]);
  return panels;
}

/** The scatter-plot matrix of `options`. */
export function scatterMatrix(options: ScatterMatrixOptions): HTMLElement {
  const { axes, points, colorBy } = options;
  if (axes.length === 0)
    return h('p', { class: 'muted scatter-matrix' }, 'No numeric variable to plot.');
  const cells = Math.max(1, axes.length - 1);
  const cellW = LEFT + PANEL + RIGHT;
  const cellH = TOP + PANEL + BOTTOM;
  const width = cells * cellW + (cells - 1) * GAP;
  const height = axes.length === 1 ? TOP + PANEL / 3 + BOTTOM : cells * cellH + (cells - 1) * GAP;
  const tooltip = h('div', { class: 'scatter-tooltip', hidden: true });
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: 'scatter-svg',
    role: 'img',
    'aria-label': options.label ?? 'scatter-plot matrix',
  });
  const body = h('div', { class: 'chart-body scatter-body' }, svg, tooltip);
  const levels = colorBy?.levels ?? [];
  const byKey = new Map<string, SVGCircleElement[]>();

  const show = (point: ScatterPoint, circle: SVGCircleElement): void => {
    for (const other of byKey.get(point.key) ?? []) other.classList.add('hovered');
    replaceChildren(
      tooltip,
      h('strong', {}, point.key),
      ...Object.entries(point.values).map(([name, value]) =>
        h('span', {}, `${name} = ${typeof value === 'number' ? formatNumber(value) : value}`),
      ),
    );
    tooltip.hidden = false;
    const box = body.getBoundingClientRect();
    const dot = circle.getBoundingClientRect();
    tooltip.style.left = `${dot.left - box.left + dot.width / 2}px`;
    tooltip.style.top = `${dot.top - box.top}px`;
  };
  const hide = (point: ScatterPoint): void => {
    for (const other of byKey.get(point.key) ?? []) other.classList.remove('hovered');
    tooltip.hidden = true;
  };

  for (const [xAxis, yAxis, row, column] of panelsOf(axes)) {
    const left = column * (cellW + GAP) + LEFT;
    const top = row * (cellH + GAP) + TOP;
    const plotH = yAxis === undefined ? PANEL / 3 : PANEL;
    const x = linear(xAxis.domain[0], xAxis.domain[1], left, left + PANEL);
    const y =
      yAxis === undefined
        ? () => top + plotH / 2
        : linear(yAxis.domain[0], yAxis.domain[1], top + plotH, top);
    const lastRow = row === cells - 1;
    const panel = s('g', {
      class: 'scatter-panel',
      'data-x': xAxis.name,
      ...(yAxis === undefined ? {} : { 'data-y': yAxis.name }),
    });
    panel.append(s('rect', { x: left, y: top, width: PANEL, height: plotH, class: 'frame' }));
    if (xAxis.region !== undefined || yAxis?.region !== undefined) {
      const [x0, x1] = xAxis.region ?? xAxis.domain;
      const [y0, y1] = yAxis?.region ?? yAxis?.domain ?? [0, 0];
      panel.append(
        s('rect', {
          x: x(x0),
          width: Math.max(0, x(x1) - x(x0)),
          y: yAxis === undefined ? top : y(y1),
          height: yAxis === undefined ? plotH : Math.max(0, y(y0) - y(y1)),
          class: 'region',
        }),
      );
    }
    for (const tick of ticksOf(xAxis)) {
      panel.append(
        s('line', { x1: x(tick), x2: x(tick), y1: top, y2: top + plotH, class: 'grid' }),
      );
      if (lastRow)
        panel.append(
          s(
            'text',
            { x: x(tick), y: top + plotH + 13, 'text-anchor': 'middle', class: 'tick' },
            formatNumber(tick),
          ),
        );
    }
    if (yAxis !== undefined)
      for (const tick of ticksOf(yAxis)) {
        panel.append(
          s('line', { x1: left, x2: left + PANEL, y1: y(tick), y2: y(tick), class: 'grid' }),
        );
        if (column === 0)
          panel.append(
            s(
              'text',
              { x: left - 4, y: y(tick) + 3, 'text-anchor': 'end', class: 'tick' },
              formatNumber(tick),
            ),
          );
      }
    if (lastRow)
      panel.append(
        s(
          'text',
          { x: left + PANEL / 2, y: top + plotH + 30, 'text-anchor': 'middle', class: 'axis-name' },
          xAxis.name,
        ),
      );
    if (yAxis !== undefined && column === 0) {
      const cx = left - 40;
      const cy = top + plotH / 2;
      panel.append(
        s(
          'text',
          {
            x: cx,
            y: cy,
            transform: `rotate(-90 ${cx} ${cy})`,
            'text-anchor': 'middle',
            class: 'axis-name',
          },
          yAxis.name,
        ),
      );
    }
    for (const point of points) {
      const vx = point.values[xAxis.name];
      const vy = yAxis === undefined ? 0 : point.values[yAxis.name];
      if (typeof vx !== 'number' || typeof vy !== 'number') continue;
      const circle = s('circle', {
        cx: x(vx),
        cy: y(vy),
        r: RADIUS,
        class: 'point',
        fill: colorBy === undefined ? LEVEL_COLORS[0] : colorOf(levels, point.values[colorBy.name]),
        tabindex: 0,
        'data-key': point.key,
      });
      circle.addEventListener('mouseenter', () => show(point, circle));
      circle.addEventListener('focus', () => show(point, circle));
      circle.addEventListener('mouseleave', () => hide(point));
      circle.addEventListener('blur', () => hide(point));
      const list = byKey.get(point.key);
      if (list === undefined) byKey.set(point.key, [circle]);
      else list.push(circle);
      panel.append(circle);
    }
    svg.append(panel);
  }
  return h('figure', { class: 'scatter-matrix' }, body, legendOf(points, colorBy));
}

/** Round ticks inside the axis's domain. */
function ticksOf(axis: ScatterAxis): number[] {
  const [min, max] = axis.domain;
  return niceTicks(min, max, 3).filter((tick) => tick >= min && tick <= max);
}

/** The legend: each level's colour and how many points have it. */
function legendOf(
  points: readonly ScatterPoint[],
  colorBy: ScatterMatrixOptions['colorBy'],
): HTMLElement {
  if (colorBy === undefined)
    return h('figcaption', { class: 'scatter-legend muted' }, `${points.length} point(s)`);
  const counts = new Map<string, number>();
  for (const point of points) {
    const level = String(point.values[colorBy.name]);
    counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  const others = [...counts.keys()].filter((level) => !colorBy.levels.includes(level));
  return h(
    'figcaption',
    { class: 'scatter-legend' },
    h('span', { class: 'muted' }, `${colorBy.name}:`),
    ...colorBy.levels.map((level) =>
      h(
        'span',
        { class: 'legend-level', 'data-level': level },
        h('span', { class: 'swatch', style: { background: colorOf(colorBy.levels, level) } }),
        `${level} (${counts.get(level) ?? 0})`,
      ),
    ),
    others.length === 0
      ? null
      : h(
          'span',
          { class: 'legend-level', 'data-level': 'other' },
          h('span', { class: 'swatch', style: { background: OTHER_COLOR } }),
          `other (${others.reduce((sum, level) => sum + counts.get(level)!, 0)})`,
        ),
  );
}
