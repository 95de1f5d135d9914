// The mapping of strata event kinds to OpenLineage event types, row by row: every kind is in
// the table (a new kind fails here until it is mapped or declared silent).
import { describe, expect, it } from 'vitest';
import { openLineageTypesOf } from '../../src/openlineage/index.js';
import { EVENT_KINDS, type EventKind, type EventLevel } from '../../src/store/index.js';

type Row = readonly [EventKind, EventLevel, boolean, readonly string[]];

/** kind, level, the step's START already sent, the OpenLineage events sent in order. */
const TABLE: readonly Row[] = [
  ['run_started', 'info', true, ['START']],
  ['run_expanded', 'info', true, ['RUNNING']],
  ['run_resumed', 'info', true, ['RUNNING']],
  ['run_canceled', 'warn', true, ['ABORT']],
  ['run_finished', 'info', true, ['COMPLETE']],
  ['run_finished', 'error', true, ['FAIL']],
  ['step_materialized', 'info', false, ['START', 'COMPLETE']],
  ['step_materialized', 'info', true, ['COMPLETE']],
  ['step_reused', 'info', false, ['START', 'COMPLETE']],
  ['step_fresh', 'info', false, ['START', 'COMPLETE']],
  ['step_failed', 'error', false, ['START', 'FAIL']],
  ['step_failed', 'error', true, ['FAIL']],
  ['step_retry_scheduled', 'warn', false, ['START', 'RUNNING']],
  ['step_retry_scheduled', 'warn', true, ['RUNNING']],
  ['step_skipped', 'warn', false, ['START', 'ABORT']],
  ['step_canceled', 'warn', false, ['START', 'ABORT']],
  ['step_partition_busy', 'info', false, []],
  ['step_needs_other_code', 'info', false, []],
  ['step_submitted', 'info', false, []],
  ['attempt_lost', 'warn', false, []],
  ['log', 'info', false, []],
  // A check's verdict travels as a facet of the step's output dataset, not as an event.
  ['check_evaluated', 'error', false, []],
];

describe('openLineageTypesOf', () => {
  it.each(TABLE)('%s (level %s, START sent %s) -> %j', (kind, level, stepStartSent, types) => {
    expect(openLineageTypesOf({ kind, level, stepStartSent })).toEqual(types);
  });

  it('has a row for every event kind', () => {
    expect(new Set(TABLE.map(([kind]) => kind))).toEqual(new Set(EVENT_KINDS));
  });
});
