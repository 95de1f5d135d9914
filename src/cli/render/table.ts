// Aligned text tables for human output: columns padded to their widest cell (colors ignored
// when measuring), the last column never padded.
import { visibleWidth } from './colors.js';

/** How a table is laid out. */
export interface TableOptions {
  /** Alignment per column (default left). */
  readonly align?: readonly ('left' | 'right')[];
  /** Prefix of every line. */
  readonly indent?: string;
  /** Spaces between columns. */
  readonly gap?: number;
}

/** Renders rows of cells as aligned lines. */
export function renderTable(
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string[] {
  const gap = ' '.repeat(options.gap ?? 2);
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows.map((row) => {
    const cells = row.map((cell, i) => {
      const pad = ' '.repeat((widths[i] ?? 0) - visibleWidth(cell));
      if (options.align?.[i] === 'right') return pad + cell;
      return i === row.length - 1 ? cell : cell + pad;
    });
    return `${options.indent ?? ''}${cells.join(gap)}`.trimEnd();
  });
}
