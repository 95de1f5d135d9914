// Coloured badges for asset, partition, run, step and attempt states.
import { h } from '../dom.js';

/** A badge: the colour comes from the state's CSS class. */
export function badge(state: string, text: string = state): HTMLElement {
  return h('span', { class: `badge state-${state.replace(/[^a-z_]/g, '')}` }, text);
}
