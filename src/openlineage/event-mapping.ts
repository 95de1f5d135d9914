// Which OpenLineage run events a strata event becomes (docs/openlineage.md, "Mapping"): pure,
// one table, so the mapping is tested row by row. A step's START is sent with its first event
// that OpenLineage hears of (its first retry, or its end); steps only have events when they
// end or retry, so START and the end are sent together, START's time being the step's start.
import type { EventKind, EventLevel } from '../store/index.js';
import type { RunEventType } from './types.js';

/** Whose OpenLineage run a strata event is about: the strata run (parent) or one step. */
export type LineageSubject = 'run' | 'step';

/** What one strata event kind becomes. */
export interface KindMapping {
  readonly subject: LineageSubject;
  /** The event type sent (after a START, when the step's START was not sent yet). */
  readonly eventType: RunEventType;
}

/** Each translated kind; kinds absent here (logs, waits, submissions) send nothing. */
export const KIND_MAPPINGS: Partial<Readonly<Record<EventKind, KindMapping>>> = {
  run_started: { subject: 'run', eventType: 'START' },
  run_expanded: { subject: 'run', eventType: 'RUNNING' },
  run_resumed: { subject: 'run', eventType: 'RUNNING' },
  run_canceled: { subject: 'run', eventType: 'ABORT' },
  run_finished: { subject: 'run', eventType: 'COMPLETE' },
  step_retry_scheduled: { subject: 'step', eventType: 'RUNNING' },
  step_materialized: { subject: 'step', eventType: 'COMPLETE' },
  step_reused: { subject: 'step', eventType: 'COMPLETE' },
  step_fresh: { subject: 'step', eventType: 'COMPLETE' },
  step_failed: { subject: 'step', eventType: 'FAIL' },
  step_skipped: { subject: 'step', eventType: 'ABORT' },
  step_canceled: { subject: 'step', eventType: 'ABORT' },
};

/** The strata event kinds that send something. */
export const TRANSLATED_KINDS = Object.keys(KIND_MAPPINGS) as readonly EventKind[];

/** What decides a mapping beyond the kind. */
export interface MappingInput {
  readonly kind: EventKind;
  readonly level: EventLevel;
  /** For step events: whether an earlier event of the step already sent its START. */
  readonly stepStartSent: boolean;
}

/** The OpenLineage event types a strata event becomes, in the order they are sent. */
export function openLineageTypesOf(input: MappingInput): readonly RunEventType[] {
  const mapping = KIND_MAPPINGS[input.kind];
  if (mapping === undefined) return [];
  // A run finishes with level error exactly when one of its steps failed.
  const eventType =
    input.kind === 'run_finished' && input.level === 'error' ? 'FAIL' : mapping.eventType;
  if (mapping.subject === 'step' && !input.stepStartSent) return ['START', eventType];
  return [eventType];
}
