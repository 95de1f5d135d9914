// The tooltip of a chart: placed over the hovered point and kept inside the chart's box (moved
// left or right at the edges, below the point when there is no room above), wrapping long text.
import { h } from '../dom.js';

/** Space between the point and the tooltip, in pixels. */
const GAP = 8;

/** A tooltip living in `body` (a positioned element holding the chart). */
export interface ChartTooltip {
  readonly element: HTMLElement;
  /** Shows `text` at a point given as fractions of the body's width and height. */
  show(text: string, xFraction: number, yFraction: number): void;
  hide(): void;
}

export function chartTooltip(body: HTMLElement): ChartTooltip {
  const element = h('div', { class: 'chart-tooltip', hidden: true, role: 'tooltip' });
  return {
    element,
    show(text, xFraction, yFraction) {
      element.textContent = text;
      element.hidden = false;
      // Measured at the left edge, where it may take the body's whole width.
      element.style.left = '0px';
      element.style.top = '0px';
      element.style.width = '';
      const width = body.clientWidth;
      const height = body.clientHeight;
      const x = xFraction * width;
      const y = yFraction * height;
      const box = element.getBoundingClientRect();
      const left = Math.min(
        Math.max(0, x - box.width / 2),
        Math.max(0, width - Math.ceil(box.width)),
      );
      const above = y - GAP - box.height;
      const top = above >= 0 ? above : Math.min(y + GAP, Math.max(0, height - box.height));
      // Its measured width, kept where it goes (near the right edge it would wrap again).
      element.style.width = `${Math.ceil(box.width)}px`;
      element.style.left = `${left}px`;
      element.style.top = `${top}px`;
    },
    hide() {
      element.hidden = true;
    },
  };
}
