// The metadata plots of an asset page: one chart per numeric metadata field, over time or (for a
// partitioned asset) per partition, with a toggle between the two kept across refreshes.
import type { MaterializationSummary } from '../api/types.js';
import { metricChart, type ChartMode } from '../charts/metric-chart.js';
import { latestPerPartition, numericSeries } from '../charts/metric-series.js';
import { h, replaceChildren } from '../dom.js';

/** The plots section; `mode` holds the chosen x axis (the page keeps it between refreshes). */
export function metricPlots(
  items: readonly MaterializationSummary[],
  partitioned: boolean,
  mode: { current: ChartMode },
): HTMLElement | null {
  const series = numericSeries(items);
  if (series.size === 0) return null;
  if (!partitioned) mode.current = 'time';
  const title = h('h2', {});
  const charts = h('div', { class: 'charts' });
  const draw = (): void => {
    title.textContent = mode.current === 'time' ? 'Metadata over time' : 'Metadata per partition';
    replaceChildren(
      charts,
      ...[...series].map(([field, points]) =>
        mode.current === 'time'
          ? metricChart(field, points, 'time')
          : metricChart(field, latestPerPartition(points), 'partition'),
      ),
    );
  };
  const toggle = partitioned
    ? h(
        'div',
        { class: 'segmented', role: 'radiogroup', 'aria-label': 'plot metadata' },
        ...(['partition', 'time'] as const).map((value) => {
          const button = h(
            'button',
            {
              type: 'button',
              role: 'radio',
              'data-mode': value,
              'aria-checked': String(mode.current === value),
            },
            value === 'partition' ? 'per partition (latest)' : 'over time',
          );
          button.addEventListener('click', () => {
            mode.current = value;
            for (const other of toggle?.querySelectorAll('button') ?? [])
              other.setAttribute('aria-checked', String(other === button));
            draw();
          });
          return button;
        }),
      )
    : null;
  draw();
  return h(
    'section',
    { class: 'card', 'data-section': 'Metadata' },
    h('div', { class: 'card-title-row' }, title, toggle),
    charts,
  );
}
