// The global search (Ctrl/Cmd-K on every page, or the header's Search button): a modal palette
// that asks GET /api/search as one types and lists assets, runs, materializations and plans;
// arrow keys move, Enter or a click opens, Escape closes. An answer to older text is dropped.
import { getJson } from '../api/client.js';
import type { SearchResult } from '../api/types.js';
import { h, replaceChildren } from '../dom.js';
import { navigate } from '../router.js';
import { KIND_HEADINGS, searchOptions, type SearchOption } from './search-options.js';

/** Hits of each kind asked for. */
const LIMIT = 8;

export class SearchPalette {
  private readonly dialog: HTMLDialogElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly note: HTMLElement;
  private options: SearchOption[] = [];
  private active = -1;
  private request: AbortController | undefined;
  /** The search under way, so Enter opens an option of the text typed, not of older text. */
  private searching: Promise<void> = Promise.resolve();

  constructor() {
    this.input = h('input', {
      type: 'search',
      class: 'palette-input',
      placeholder: 'Search assets, runs, materializations, plans…',
      'aria-label': 'search everything',
      role: 'combobox',
      'aria-expanded': 'false',
      'aria-controls': 'palette-options',
      'aria-autocomplete': 'list',
      autocomplete: 'off',
      spellcheck: false,
    });
    this.list = h('ul', { id: 'palette-options', class: 'palette-options', role: 'listbox' });
    this.note = h('p', { class: 'palette-note muted', role: 'status' });
    this.dialog = h(
      'dialog',
      { class: 'palette', 'aria-label': 'search' },
      this.input,
      this.list,
      this.note,
    );
    this.input.addEventListener('input', () => (this.searching = this.search()));
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    // A click on the backdrop (outside the dialog's box) closes it.
    this.dialog.addEventListener('click', (event) => {
      if (event.target === this.dialog) this.dialog.close();
    });
    this.dialog.addEventListener('close', () => this.request?.abort());
  }

  /** Listens for Ctrl/Cmd-K anywhere and adds the palette to the document. */
  install(): void {
    document.body.append(this.dialog);
    window.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        if (this.dialog.open) this.dialog.close();
        else this.open();
      }
    });
  }

  /** The header's button that opens the palette. */
  trigger(): HTMLButtonElement {
    const mac = /Mac|iPhone|iPad/.test(navigator.platform);
    return h(
      'button',
      {
        type: 'button',
        class: 'palette-trigger',
        title: 'search assets, runs, materializations and plans',
        onclick: () => this.open(),
      },
      'Search',
      h('kbd', {}, mac ? '⌘K' : 'Ctrl K'),
    );
  }

  open(): void {
    if (!this.dialog.open) this.dialog.showModal();
    this.input.select();
    this.searching = this.search();
  }

  private async search(): Promise<void> {
    this.request?.abort();
    const text = this.input.value.trim();
    if (text === '') {
      this.show([], 'Type part of an asset key, a run or materialization id, a plan id or title.');
      return;
    }
    const request = new AbortController();
    this.request = request;
    try {
      const result = await getJson<SearchResult>(
        '/api/search',
        { q: text, limit: LIMIT },
        request.signal,
      );
      const more = result.assetMatches - result.assets.length;
      const options = searchOptions(result);
      this.show(
        options,
        options.length === 0
          ? `Nothing matches “${text}”.`
          : more > 0
            ? `${more.toLocaleString()} more asset(s) match; type more of the key.`
            : '',
      );
    } catch (error) {
      if (request.signal.aborted) return;
      this.show([], `Could not search: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private show(options: SearchOption[], note: string): void {
    this.options = options;
    this.active = options.length === 0 ? -1 : 0;
    this.note.textContent = note;
    this.input.setAttribute('aria-expanded', String(options.length > 0));
    this.list.dataset.query = this.input.value.trim();
    const items: HTMLElement[] = [];
    options.forEach((option, index) => {
      if (index === 0 || options[index - 1]!.kind !== option.kind)
        items.push(
          h('li', { class: 'palette-heading', role: 'presentation' }, KIND_HEADINGS[option.kind]),
        );
      items.push(
        h(
          'li',
          {
            id: `palette-option-${index}`,
            role: 'option',
            class: 'palette-option',
            'data-kind': option.kind,
            // Keeps the focus in the input; the click opens the option.
            onmousedown: (event: Event) => event.preventDefault(),
            onclick: () => this.choose(index),
          },
          h('span', { class: 'palette-label' }, option.label),
          h('span', { class: 'palette-detail muted' }, option.detail),
        ),
      );
    });
    replaceChildren(this.list, items);
    this.highlight();
  }

  private highlight(): void {
    this.list.querySelectorAll('[role="option"]').forEach((item, index) => {
      item.setAttribute('aria-selected', String(index === this.active));
      if (index === this.active) item.scrollIntoView({ block: 'nearest' });
    });
    if (this.active < 0) this.input.removeAttribute('aria-activedescendant');
    else this.input.setAttribute('aria-activedescendant', `palette-option-${this.active}`);
  }

  private onKey(event: KeyboardEvent): void {
    const count = this.options.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + count) % count;
      this.highlight();
    } else if (event.key === 'Escape') {
      // A search input would take the first Escape to clear itself: close at once instead.
      event.preventDefault();
      this.dialog.close();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void this.searching.then(() => this.choose(this.active));
    }
  }

  private choose(index: number): void {
    const option = this.options[index];
    if (option === undefined) return;
    this.dialog.close();
    navigate(option.route);
  }
}
