// "Observe now" for a source asset, which is observed and never computed: POST /api/runs of the
// source alone observes it before planning and then plans nothing (docs/semantics.md, "Source
// assets"), so no run starts. The answer does not say what the observation found: the history
// before and after does (a new version is a new materialization; the same one records none).
import { assetPath, getJson, postJson } from '../api/client.js';
import type { LaunchResult, MaterializationPage } from '../api/types.js';
import { h } from '../dom.js';
import { shortHash } from '../format.js';
import { notify } from './feedback.js';

/** New versions counted after an observation (a partitioned source records one per partition). */
const COUNTED = 100;

/** The newest materializations of `key`. */
function newest(key: string, limit: number): Promise<MaterializationPage> {
  return getJson<MaterializationPage>(assetPath(key, '/materializations'), { limit });
}

/** Observes source `key` now and says whether it found a new version. */
export async function observeSource(key: string): Promise<void> {
  const before = (await newest(key, 1)).items[0]?.materializationId ?? 0;
  await postJson<LaunchResult>('/api/runs', { selection: key });
  const after = await newest(key, COUNTED);
  const added = after.items.filter((item) => item.materializationId > before);
  const latest = after.items[0];
  if (added.length === 0) {
    notify(
      latest === undefined
        ? `Observed ${key}: nothing recorded.`
        : `Observed ${key}: no new version; data version ${shortHash(latest.dataVersion)} stands.`,
    );
  } else if (added.length === 1 && added[0]!.partition === null) {
    const item = added[0]!;
    notify(
      `Observed ${key}: a new version, data version ${shortHash(item.dataVersion)} (observation #${item.materializationId}).`,
    );
  } else {
    notify(
      `Observed ${key}: ${added.length}${added.length === after.items.length && after.nextCursor !== null ? '+' : ''} partition(s) have a new version.`,
    );
  }
}

/** A button that observes source `key`, then calls `done` (to show what changed). */
export function observeButton(key: string, done: () => void = () => undefined): HTMLButtonElement {
  const button = h(
    'button',
    {
      class: 'primary observe',
      type: 'button',
      title: `observe ${key} now: a source asset is observed, never computed; a changed data version is recorded as a new version`,
    },
    'Observe now',
  );
  button.addEventListener('click', () => {
    button.disabled = true;
    observeSource(key)
      .then(done)
      .catch((error: unknown) =>
        notify(
          `Could not observe ${key}: ${error instanceof Error ? error.message : String(error)}`,
          'error',
        ),
      )
      .finally(() => {
        button.disabled = false;
      });
  });
  return button;
}
