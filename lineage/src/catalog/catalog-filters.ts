// The catalog's filter bar: a selection box (the CLI's syntax, applied on Enter or with its
// button) and three facets (status, group, freshness), each a menu of its values with how many
// assets each would show. It reports changes; the page owns the query and the URL.
import { h, replaceChildren } from '../dom.js';
import {
  FRESHNESS_FACETS,
  STATUS_FACETS,
  type CatalogQuery,
  type FreshnessFacet,
} from './catalog-query.js';
import type { facetCounts } from './catalog-rows.js';

type Counts = ReturnType<typeof facetCounts>;
type Change = Partial<Pick<CatalogQuery, 'select' | 'status' | 'group' | 'freshness'>>;

/** The filter bar and how to show a query in it. */
export interface CatalogFilters {
  readonly element: HTMLElement;
  /** The note beside the selection box ("8 assets selected", or the server's error). */
  readonly note: HTMLElement;
  show(query: CatalogQuery, counts: Counts): void;
}

/** A facet menu: "any" and each value with its count (values with none still listed). */
function facetMenu(label: string, onChange: (value: string | undefined) => void) {
  const menu = h('select', { 'aria-label': label, class: 'facet' });
  menu.addEventListener('change', () => onChange(menu.value === '' ? undefined : menu.value));
  const show = (values: readonly string[], counts: Map<string, number>, chosen?: string) => {
    const listed = chosen === undefined || values.includes(chosen) ? values : [...values, chosen];
    replaceChildren(
      menu,
      h('option', { value: '' }, `${label}: any`),
      ...listed.map((value) =>
        h('option', { value }, `${label}: ${value} (${(counts.get(value) ?? 0).toLocaleString()})`),
      ),
    );
    menu.value = chosen ?? '';
  };
  return { menu, show };
}

export function catalogFilters(onChange: (change: Change) => void): CatalogFilters {
  const input = h('input', {
    type: 'text',
    class: 'selection-input',
    placeholder: 'Select: +key (and upstream), key+ (and downstream), group:g, tag:k=v, owner:x',
    'aria-label': 'selection expression',
    spellcheck: false,
  });
  const apply = () => onChange({ select: input.value.trim() || undefined });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') apply();
  });
  const note = h('span', { class: 'selection-note', role: 'status' });
  /** The selection the box last showed. */
  let shownSelect = '';
  const status = facetMenu('status', (value) =>
    onChange({ status: STATUS_FACETS.find((s) => s === value) }),
  );
  const group = facetMenu('group', (value) => onChange({ group: value }));
  const freshness = facetMenu('freshness', (value) =>
    onChange({ freshness: FRESHNESS_FACETS.find((f): f is FreshnessFacet => f === value) }),
  );
  const clear = h(
    'button',
    {
      type: 'button',
      title: 'show every asset',
      onclick: () =>
        onChange({ select: undefined, status: undefined, group: undefined, freshness: undefined }),
    },
    'Clear filters',
  );
  const element = h(
    'div',
    { class: 'catalog-filters' },
    h(
      'div',
      { class: 'selection-box' },
      input,
      h('button', { type: 'button', onclick: apply }, 'Select'),
      note,
    ),
    status.menu,
    group.menu,
    freshness.menu,
    clear,
  );
  return {
    element,
    note,
    show(query, counts) {
      // Text being typed (changed since last shown, still focused) is left alone.
      if (document.activeElement !== input || input.value.trim() === shownSelect)
        input.value = query.select ?? '';
      shownSelect = query.select ?? '';
      status.show(STATUS_FACETS, counts.status, query.status);
      group.show([...counts.group.keys()].sort(), counts.group, query.group);
      freshness.show(FRESHNESS_FACETS, counts.freshness, query.freshness);
      clear.disabled =
        query.select === undefined &&
        query.status === undefined &&
        query.group === undefined &&
        query.freshness === undefined;
    },
  };
}
