// A tick's observations of source assets for its record: one entry per asset and outcome, with
// the partitions it covers, the version found and the first error.
import type { ObservationOutcome } from './observe-sources.js';
import { UNPARTITIONED } from '../graph/index.js';
import type { ObservedEntry } from '../store/index.js';

/** Groups observation outcomes by asset and outcome, in the order they came. */
export function observedEntries(outcomes: readonly ObservationOutcome[]): ObservedEntry[] {
  const groups = new Map<string, ObservedEntry & { partitions: string[] }>();
  for (const o of outcomes) {
    const id = `${o.key}\u0000${o.outcome}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = {
        key: o.key,
        partitions: [],
        outcome: o.outcome,
        dataVersion: o.dataVersion,
        ...(o.error === undefined ? {} : { error: o.error }),
      };
      groups.set(id, group);
    }
    if (o.partition !== UNPARTITIONED) group.partitions.push(o.partition);
  }
  return [...groups.values()];
}
