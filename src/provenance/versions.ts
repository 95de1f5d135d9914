// Data versions and input hashes: the fingerprints that staleness, early cutoff and reuse
// compare. Their exact definitions are documented in docs/semantics.md.
import { canonicalJson, sha256Hex } from '../util/canonical-json.js';

/** One consumed input of a computation: which dependency partition, at which data version. */
export interface InputVersion {
  readonly depKey: string;
  /** '' for an unpartitioned dependency. */
  readonly depPartition: string;
  readonly dataVersion: string;
}

/** Bumped whenever the input-hash recipe changes, so old hashes can never collide with new ones. */
const INPUT_HASH_FORMAT = 1;

/** sha256 of the canonical JSON of a value (artifact references included). */
export function dataVersionOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

function compareInputs(a: InputVersion, b: InputVersion): number {
  if (a.depKey !== b.depKey) return a.depKey < b.depKey ? -1 : 1;
  if (a.depPartition !== b.depPartition) return a.depPartition < b.depPartition ? -1 : 1;
  return 0;
}

/**
 * sha256 of (asset key, partition key, code version, sorted (dep key, dep partition, dep data
 * version)). Equal input hashes mean an identical computation.
 */
export function inputHashOf(
  assetKey: string,
  partitionKey: string,
  codeVersion: string,
  inputs: readonly InputVersion[],
): string {
  const sorted = [...inputs]
    .sort(compareInputs)
    .map((i) => [i.depKey, i.depPartition, i.dataVersion]);
  return sha256Hex(
    JSON.stringify([INPUT_HASH_FORMAT, assetKey, partitionKey, codeVersion, sorted]),
  );
}
