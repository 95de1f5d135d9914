// The set of partitions selected in a partitions grid: single clicks, toggles and Shift ranges
// from the last clicked key (the anchor), in the order the grid shows them.

export class PartitionSelection {
  readonly #keys = new Set<string>();
  #anchor: string | undefined;

  get size(): number {
    return this.#keys.size;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** The selected keys, in the order they were selected. */
  keys(): string[] {
    return [...this.#keys];
  }

  /** Selects `key` alone (a plain click). */
  only(key: string): void {
    this.#keys.clear();
    this.#keys.add(key);
    this.#anchor = key;
  }

  /** Adds or removes `key` (Ctrl/Cmd-click). */
  toggle(key: string): void {
    if (!this.#keys.delete(key)) this.#keys.add(key);
    this.#anchor = key;
  }

  add(key: string): void {
    this.#keys.add(key);
  }

  /**
   * Adds the keys from the anchor to `key` in `order` (Shift-click); without an anchor shown in
   * `order`, selects `key` alone.
   */
  extendTo(key: string, order: readonly string[]): void {
    const from = this.#anchor === undefined ? -1 : order.indexOf(this.#anchor);
    const to = order.indexOf(key);
    if (from < 0 || to < 0) {
      this.only(key);
      return;
    }
    const [low, high] = from <= to ? [from, to] : [to, from];
    for (const k of order.slice(low, high + 1)) this.#keys.add(k);
  }

  clear(): void {
    this.#keys.clear();
    this.#anchor = undefined;
  }
}
