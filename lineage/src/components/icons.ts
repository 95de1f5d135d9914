// Small inline SVG icons: the clock of freshness, the bolt of automation and the database
// cylinder of source assets, drawn in the current text colour so a badge or a link colours them.
import { s } from '../dom.js';

/** A clock (freshness). */
export function clockIcon(): SVGSVGElement {
  return s(
    'svg',
    {
      class: 'icon icon-clock',
      viewBox: '0 0 16 16',
      width: 12,
      height: 12,
      'aria-hidden': 'true',
    },
    s('circle', { cx: 8, cy: 8, r: 6.3 }),
    s('path', { d: 'M8 4.2V8h3' }),
  );
}

/** A lightning bolt (automation). */
export function boltIcon(): SVGSVGElement {
  return s(
    'svg',
    { class: 'icon icon-bolt', viewBox: '0 0 16 16', width: 12, height: 12, 'aria-hidden': 'true' },
    s('path', { d: 'M9.5 1 3 9h4.2L6 15l7-8.5H8.6z' }),
  );
}

/** A database cylinder (a source asset: an external input, observed and never computed). */
export function sourceIcon(): SVGSVGElement {
  return s(
    'svg',
    {
      class: 'icon icon-source',
      viewBox: '0 0 16 16',
      width: 12,
      height: 12,
      'aria-hidden': 'true',
    },
    s('ellipse', { cx: 8, cy: 3.8, rx: 5.2, ry: 2 }),
    s('path', {
      d: 'M2.8 3.8v8.4c0 1.1 2.3 2 5.2 2s5.2-.9 5.2-2V3.8M2.8 8c0 1.1 2.3 2 5.2 2s5.2-.9 5.2-2',
    }),
  );
}
