// The error of a sink that could not take an event (a receiver down or refusing, a file that
// cannot be written): the environment's fault, worth trying again. Its message names the sink
// by its id, which never holds the API key.
import { EnvironmentError } from '../errors.js';

/** A sink failed to deliver an event. */
export class SinkDeliveryError extends EnvironmentError {
  constructor(sinkId: string, reason: string, cause?: unknown) {
    super(`OpenLineage sink ${sinkId}: ${reason}`, {
      ...(cause === undefined ? {} : { cause }),
      hint: 'the events stay pending and are delivered, in order, once the sink takes them again',
    });
  }
}
