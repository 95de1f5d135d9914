// The validator of the OpenLineage tests rejects what a receiver would: an event that breaks
// the spec, a spec facet that breaks its facet schema, a custom facet that breaks strata's.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  RUN_EVENT_TYPES,
  strataFacetsSchemaUrl,
  type RunEvent,
} from '../../src/openlineage/index.js';
import { REPO_ROOT } from '../cli/cli-harness.js';
import { specErrors } from './spec-validator.js';

const PRODUCER = 'https://www.npmjs.com/package/strata/v/0.1.0';
const valid: RunEvent = {
  eventTime: '2026-01-31T12:00:00.000Z',
  producer: PRODUCER,
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  eventType: 'START',
  run: { runId: '0190b6a2-3c4d-8e5f-9a1b-2c3d4e5f6a7b' },
  job: { namespace: 'strata', name: 'strata.run' },
  inputs: [],
  outputs: [],
};

describe('the types of src/openlineage/types.ts', () => {
  it('send the event types of the spec (all but OTHER)', () => {
    const spec = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'src/openlineage/spec/OpenLineage.json'), 'utf8'),
    ) as { $defs: { RunEvent: { allOf: { properties?: { eventType?: { enum: string[] } } }[] } } };
    const declared = spec.$defs.RunEvent.allOf.find((part) => part.properties?.eventType);
    expect([...RUN_EVENT_TYPES, 'OTHER'].sort()).toEqual(
      [...declared!.properties!.eventType!.enum].sort(),
    );
  });
});

describe('specErrors', () => {
  it('accepts a minimal valid event', () => {
    expect(specErrors(valid)).toEqual([]);
  });

  it.each([
    ['a run id that is no UUID', { ...valid, run: { runId: 'run-1' } }],
    ['an unknown event type', { ...valid, eventType: 'DONE' as never }],
    ['a job without a name', { ...valid, job: { namespace: 'strata' } as never }],
    [
      'a facet without _producer',
      { ...valid, run: { ...valid.run, facets: { x: { _schemaURL: PRODUCER } as never } } },
    ],
    [
      'a job type facet without integration',
      {
        ...valid,
        job: {
          ...valid.job,
          facets: {
            jobType: {
              _producer: PRODUCER,
              _schemaURL:
                'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
              processingType: 'BATCH',
            },
          },
        },
      },
    ],
    [
      'a strata_dataVersion facet without versions',
      {
        ...valid,
        outputs: [
          {
            namespace: 'strata://strata',
            name: 'a',
            facets: {
              strata_dataVersion: {
                _producer: PRODUCER,
                _schemaURL: `${strataFacetsSchemaUrl()}#/$defs/DataVersionDatasetFacet`,
              },
            },
          },
        ],
      },
    ],
  ])('rejects %s', (_what, event) => {
    expect(specErrors(event as RunEvent)).not.toEqual([]);
  });
});
