// The error of a plan that would read an input nothing provides: a source asset never observed,
// or an unselected asset never materialized. A UsageError the API answers with 409 Conflict.
import { UsageError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';
import type { AssetKey, PartitionKey } from '../definitions/index.js';

/** What the plan would read and which step reads it. */
export interface UnavailableInput {
  /** The step that reads it. */
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  /** The input nothing provides. */
  readonly input: AssetKey;
  readonly inputPartition: PartitionKey;
  /** A source asset (observed, never materialized) rather than a computed one. */
  readonly source: boolean;
}

/** A plan step reads an input that was never observed or materialized and is not planned. */
export class UnavailableInputError extends UsageError {
  readonly input: AssetKey;
  constructor(unavailable: UnavailableInput) {
    const { key, partition, input, inputPartition, source } = unavailable;
    const step = formatAssetPartition(key, partition);
    const read = formatAssetPartition(input, inputPartition);
    super(
      source
        ? `source asset ${read} has never been observed, so ${step}, which reads it, cannot be planned`
        : `${read} has never been materialized and is not selected, so ${step}, which reads it, cannot be planned`,
      {
        hint: source
          ? `observe it first: strata observe ${input}`
          : `select it too, e.g. "+${key}", or materialize ${input} first`,
      },
    );
    this.input = input;
  }
}
