// Explains why a partition's input fingerprint changed by comparing the inputs its latest
// materialization consumed with the inputs a computation would consume now.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { formatAssetPartition } from '../graph/index.js';
import type { ConsumedInput, InputVersion } from '../provenance/index.js';
import { MAX_CAUSE_PARTITIONS, type StaleCause } from './status-types.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Causes of category `dependencies` (a dependency or some of its partitions added or removed)
 * and `data` (a dependency's latest data version differs from the one consumed), sorted by
 * dependency key. `fanIns`: the dependencies read as fan-ins.
 */
export function explainInputChanges(
  expected: readonly InputVersion[],
  expectedPartitions: ReadonlyMap<AssetKey, readonly PartitionKey[]>,
  consumed: readonly ConsumedInput[],
  fanIns: ReadonlySet<AssetKey>,
): StaleCause[] {
  const consumedByDep = new Map<AssetKey, Map<PartitionKey, string>>();
  for (const input of consumed) {
    let parts = consumedByDep.get(input.depKey as AssetKey);
    if (!parts) consumedByDep.set(input.depKey as AssetKey, (parts = new Map()));
    parts.set(input.depPartition, input.dataVersion);
  }
  const expectedVersions = new Map<string, string>();
  for (const input of expected)
    expectedVersions.set(`${input.depKey}\u0000${input.depPartition}`, input.dataVersion);

  const causes: StaleCause[] = [];
  for (const [dep, parts] of [...expectedPartitions].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Nothing consumed of a dependency whose partitions read are all unbuilt: a fan-in whose
    // set was empty then, not necessarily a new dependency; its partitions read were added.
    const unbuilt =
      fanIns.has(dep) &&
      parts.length > 0 &&
      parts.every((p) => !expectedVersions.has(`${dep}\u0000${p}`));
    const before =
      consumedByDep.get(dep) ?? (unbuilt ? new Map<PartitionKey, string>() : undefined);
    if (!before) {
      causes.push({
        category: 'dependencies',
        reason: `${dep} is a new dependency`,
        dependency: dep,
        change: 'added',
        added: [],
        removed: [],
      });
      continue;
    }
    const now = new Set(parts);
    const added = parts.filter((p) => !before.has(p));
    const removed = [...before.keys()].filter((p) => !now.has(p)).sort();
    if (added.length > 0 || removed.length > 0) {
      const changes = [
        added.length > 0 ? `${plural(added.length, 'partition')} added` : '',
        removed.length > 0 ? `${plural(removed.length, 'partition')} removed` : '',
      ]
        .filter(Boolean)
        .join(', ');
      causes.push({
        category: 'dependencies',
        reason: `the partitions of ${dep} read changed: ${changes}`,
        dependency: dep,
        change: 'partitions',
        added: added.slice(0, MAX_CAUSE_PARTITIONS),
        removed: removed.slice(0, MAX_CAUSE_PARTITIONS),
      });
    }
    const changed = parts.filter((p) => {
      const version = expectedVersions.get(`${dep}\u0000${p}`);
      return version !== undefined && before.has(p) && before.get(p) !== version;
    });
    if (changed.length > 0) {
      const what =
        changed.length === 1 && parts.length === 1
          ? formatAssetPartition(dep, changed[0]!)
          : `${plural(changed.length, 'partition')} of ${dep}`;
      causes.push({
        category: 'data',
        reason: `${what} has new data since it was consumed`,
        dependency: dep,
        partitions: changed.slice(0, MAX_CAUSE_PARTITIONS),
        count: changed.length,
      });
    }
  }
  for (const dep of [...consumedByDep.keys()].sort()) {
    if (!expectedPartitions.has(dep)) {
      causes.push({
        category: 'dependencies',
        reason: `${dep} is no longer a dependency`,
        dependency: dep,
        change: 'removed',
        added: [],
        removed: [],
      });
    }
  }
  return causes;
}
