// How many steps of a job a worker claims at once: only what it can start now. Steps of one
// job run one after another, so a claimed step waits for those before it; claiming only about
// CLAIM_WINDOW_MS of work keeps a step from being held (and, if the worker dies or stops, taken
// over late) while it waits, yet still claims hundreds of trivial steps in one transaction.

/** A claim covers about this much computing (the same window as batched commits). */
export const CLAIM_WINDOW_MS = 50;

/** The most steps claimed, decided and committed together. */
export const MAX_CLAIM = 256;

/** Weight of the newest measurement in the moving average of an asset's step cost. */
const SMOOTHING = 0.5;

/** Per asset, a moving average of how long one of its steps took in this process. */
export class StepCosts {
  readonly #msPerStep = new Map<string, number>();

  /** Records that `steps` steps of `assetKey` took `ms` in all. */
  record(assetKey: string, steps: number, ms: number): void {
    if (steps <= 0) return;
    const measured = ms / steps;
    const previous = this.#msPerStep.get(assetKey);
    this.#msPerStep.set(
      assetKey,
      previous === undefined ? measured : previous + SMOOTHING * (measured - previous),
    );
  }

  /**
   * The claim sizes of those of `assetKeys` measured so far (the others are claimed one step at
   * a time): what a completion needs for the dependants it may adopt, not every asset known.
   */
  claimSizesOf(assetKeys: Iterable<string>): Record<string, number> {
    const sizes: Record<string, number> = {};
    for (const key of assetKeys) if (this.#msPerStep.has(key)) sizes[key] = this.claimSize(key);
    return sizes;
  }

  /**
   * How many steps of `assetKey` to claim next: one while nothing is known (a first step may
   * take hours), then as many as fit the claim window.
   */
  claimSize(assetKey: string): number {
    const ms = this.#msPerStep.get(assetKey);
    if (ms === undefined) return 1;
    return Math.max(1, Math.min(MAX_CLAIM, Math.floor(CLAIM_WINDOW_MS / Math.max(ms, 1e-3))));
  }
}
