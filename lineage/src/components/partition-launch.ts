// Launches a run of exactly some partitions of one asset (the partitions grid's launchpad):
// POST /api/runs with the selection `key[p1,p2]` and force, so fresh partitions are computed
// again and nothing else is. Keys the selection syntax cannot hold (a comma, bracket or space)
// go in the request's `partitions` list instead, which restricts the asset the same way.
import type { LaunchResult } from '../api/types.js';
import { naturalSort } from '../partition-ranges.js';
import { launch } from './materialize.js';

/** Partition keys that can be written inside `key[...]`. */
const PLAIN_KEY = /^[^\s,[\]]+$/;

/** Launches the run and goes to its page (materialize.ts). */
export function launchPartitions(
  key: string,
  partitions: readonly string[],
): Promise<LaunchResult> {
  const keys = naturalSort(partitions);
  if (keys.length === 0) return Promise.reject(new Error('no partition is selected'));
  return keys.every((k) => PLAIN_KEY.test(k))
    ? launch({ selection: `${key}[${keys.join(',')}]`, force: true })
    : launch({ selection: key, partitions: keys, force: true });
}
