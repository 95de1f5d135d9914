// A table that renders only the rows in view (plus a few either side), so 10,000 rows scroll as
// smoothly as 10: rows have one fixed height and sit at their offset in a tall body; a scroll or
// a resize redraws the window in the next animation frame. The header stays on top (sticky) and
// its cells sort: a click asks `onSort`, the table shows the order it is told with setSort. The
// time the last redraw took is in data-draw-ms.
import { h, replaceChildren } from '../dom.js';

/** One column. */
export interface VirtualColumn<T> {
  readonly id: string;
  readonly label: string;
  /** Its CSS grid track ("minmax(200px, 2fr)", "90px"). */
  readonly width: string;
  readonly cell: (row: T) => Node | string;
  readonly numeric?: boolean;
  readonly sortable?: boolean;
}

/** Pixels per row (the stylesheet's .vtable-row height). */
export const ROW_HEIGHT = 34;
/** Rows drawn beyond each edge of the view. */
const OVERSCAN = 4;

export class VirtualTable<T> {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly headCells = new Map<string, HTMLElement>();
  private rows: readonly T[] = [];
  private drawn = { start: -1, end: -1 };
  private frame = 0;
  private readonly resize: ResizeObserver;

  constructor(
    private readonly columns: readonly VirtualColumn<T>[],
    private readonly options: {
      readonly label: string;
      readonly rowKey: (row: T) => string;
      readonly onSort: (column: string) => void;
    },
  ) {
    const head = h(
      'div',
      { class: 'vtable-head', role: 'row' },
      ...columns.map((column) => {
        const content = column.sortable
          ? h(
              'button',
              { type: 'button', onclick: () => options.onSort(column.id) },
              column.label,
              // The arrow is drawn by the stylesheet and kept out of the button's name.
              h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }),
            )
          : column.label;
        const cell = h(
          'div',
          { class: `vtable-cell${column.numeric ? ' num' : ''}`, role: 'columnheader' },
          content,
        );
        this.headCells.set(column.id, cell);
        return cell;
      }),
    );
    this.body = h('div', { class: 'vtable-body', role: 'rowgroup' });
    this.element = h(
      'div',
      {
        class: 'vtable',
        role: 'table',
        'aria-label': options.label,
      },
      head,
      this.body,
    );
    this.element.style.setProperty(
      '--vtable-columns',
      columns.map((column) => column.width).join(' '),
    );
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.resize = new ResizeObserver(() => this.schedule());
    this.resize.observe(this.element);
  }

  /** Shows `rows` (from the top when `toTop`). */
  setRows(rows: readonly T[], toTop = false): void {
    this.rows = rows;
    this.body.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.element.dataset.rows = String(rows.length);
    this.element.setAttribute('aria-rowcount', String(rows.length + 1));
    if (toTop) this.element.scrollTop = 0;
    this.drawn = { start: -1, end: -1 };
    this.draw();
  }

  /** Marks the column the rows are sorted by. */
  setSort(column: string, descending: boolean): void {
    for (const [id, cell] of this.headCells) {
      if (id === column) cell.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      else cell.removeAttribute('aria-sort');
    }
  }

  /** Stops watching the table's size. */
  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.draw());
  }

  /**
   * Draws the rows in view: those still in view stay, those that left are removed and those that
   * came in are added before or after them, so the page holds the rows in order.
   */
  private draw(): void {
    const top = Math.max(0, this.element.scrollTop - this.body.offsetTop);
    const height = this.element.clientHeight;
    const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const end = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const old = this.drawn;
    if (start === old.start && end === old.end) return;
    const began = performance.now();
    this.drawn = { start, end };
    const keepStart = Math.max(start, old.start);
    const keepEnd = Math.min(end, old.end);
    if (keepStart >= keepEnd) {
      replaceChildren(this.body, this.rowsOf(start, end));
    } else {
      for (let index = old.start; index < keepStart; index++) this.body.firstChild?.remove();
      for (let index = keepEnd; index < old.end; index++) this.body.lastChild?.remove();
      this.body.prepend(...this.rowsOf(start, keepStart));
      this.body.append(...this.rowsOf(keepEnd, end));
    }
    this.element.dataset.rendered = String(end - start);
    // What drawing cost, for the benchmark (bench/catalog.ts).
    this.element.dataset.drawMs = (performance.now() - began).toFixed(2);
  }

  private rowsOf(from: number, to: number): HTMLElement[] {
    const rows: HTMLElement[] = [];
    for (let index = from; index < to; index++) rows.push(this.row(this.rows[index]!, index));
    return rows;
  }

  private row(row: T, index: number): HTMLElement {
    return h(
      'div',
      {
        class: 'vtable-row',
        role: 'row',
        'aria-rowindex': index + 2,
        'data-key': this.options.rowKey(row),
        style: { transform: `translateY(${index * ROW_HEIGHT}px)` },
      },
      ...this.columns.map((column) =>
        h(
          'div',
          { class: `vtable-cell${column.numeric ? ' num' : ''}`, role: 'cell' },
          column.cell(row),
        ),
      ),
    );
  }
}
