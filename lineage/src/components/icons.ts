// Small inline SVG icons: the clock of freshness and the bolt of automation, drawn in the
// current text colour so a badge or a link colours them.
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
