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
export const INPUT_HASH_FORMAT = 1;

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
 * version)). Equal input hashes mean an identical computation. The hashed text is exactly
 * `JSON.stringify([1, assetKey, partitionKey, codeVersion, [[depKey, depPartition, dataVersion], ...]])`,
 * built without intermediate arrays because the planner hashes every partition it evaluates.
 */
export function inputHashOf(
  assetKey: string,
  partitionKey: string,
  codeVersion: string,
  inputs: readonly InputVersion[],
): string {
  let sorted = inputs;
  for (let i = 1; i < inputs.length; i++) {
    if (compareInputs(inputs[i - 1]!, inputs[i]!) > 0) {
      sorted = [...inputs].sort(compareInputs);
      break;
    }
  }
  let body = '';
  for (const input of sorted) {
    body += `${body === '' ? '' : ','}[${JSON.stringify(input.depKey)},${JSON.stringify(input.depPartition)},${JSON.stringify(input.dataVersion)}]`;
  }
  return sha256Hex(
    `[${INPUT_HASH_FORMAT},${JSON.stringify(assetKey)},${JSON.stringify(partitionKey)},${JSON.stringify(codeVersion)},[${body}]]`,
  );
}
