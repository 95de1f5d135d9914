// Before a run is planned, the source assets it reads are observed, so the plan rebuilds exactly
// what the current external inputs make stale. A source that cannot be observed keeps its last
// version (reported as a warning); one that was never observed stops the run with its error.
import { UserCodeError } from '../errors.js';
import { formatAssetPartition, resolveSelection } from '../graph/index.js';
import type { Engine } from './engine.js';
import { observeSources, sourceKeys, type ObservationOutcome } from './observe-sources.js';

/**
 * Observes the source assets of `engine` in and upstream of `selection`; throws if one never
 * succeeded.
 */
export async function observeBeforeRun(
  engine: Engine,
  request: { readonly selection: string | undefined; readonly signal?: AbortSignal },
): Promise<ObservationOutcome[]> {
  const { graph } = engine;
  const selected = resolveSelection(graph, request.selection).keys;
  const keys = sourceKeys(graph, graph.withUpstream(selected));
  if (keys.length === 0) return [];
  const outcomes = await observeSources(engine, { keys, signal: request.signal });
  const never = outcomes.filter((o) => o.outcome === 'failed' && o.previousDataVersion === null);
  if (never.length > 0) {
    const first = never[0]!;
    throw new UserCodeError(
      `cannot observe source asset ${formatAssetPartition(first.key, first.partition)}: ${first.error}` +
        (never.length > 1 ? ` (and ${never.length - 1} more source partition(s))` : ''),
      { hint: 'it has never been observed, so what depends on it cannot be computed' },
    );
  }
  return outcomes;
}
