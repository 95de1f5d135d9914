// Asset checks in OpenLineage, on a real database and a real run: mesh[d1] passes its blocking
// check and mesh[d2] fails it. The COMPLETE of mesh[d1] and the FAIL of mesh[d2] name their
// output with its data version and the verdicts (strata_checks; the failed step has no
// step_materialized, its materialization is found through its step row), and the step that reads
// mesh[d1] carries the verdicts on it as the spec's dataQualityAssertions input-dataset facet.
// Every event is valid against the vendored spec and facet schemas.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { asset, check, staticPartitions } from '../../src/definitions/index.js';
import {
  exportHistory,
  graphSchemaFields,
  type LineageSink,
  type RunEvent,
} from '../../src/openlineage/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { eventLines, expectLineageOrder } from './lineage-order.js';
import { expectValidEvents, specErrors } from './spec-validator.js';

const database = useTestDatabase();

const ASPECT: Record<string, number> = { d1: 2, d2: 12 };
const designs = staticPartitions(['d1', 'd2']);
const mesh = asset({
  key: 'mesh',
  partitions: designs,
  codeVersion: 'm1',
  schema: z.object({ maxAspect: z.number() }),
  compute: ({ partitionKey }) => ({ maxAspect: ASPECT[partitionKey!]! }),
});
const solve = asset({
  key: 'solve',
  partitions: designs,
  deps: { mesh },
  codeVersion: 's1',
  schema: z.number(),
  compute: ({ inputs }) => inputs.mesh.maxAspect * 2,
});
const checks = [
  check({
    asset: mesh,
    name: 'aspect_ratio',
    blocking: true,
    codeVersion: 'limit-10',
    run: ({ value }) => ({
      passed: value.maxAspect <= 10,
      description: `max aspect ratio ${value.maxAspect}`,
    }),
  }),
  check({
    asset: mesh,
    name: 'smooth',
    severity: 'warn',
    codeVersion: '1',
    run: ({ value }) => value.maxAspect < 3,
  }),
];
const graph = graphOf([mesh, solve], { checks });

interface Assertion {
  assertion: string;
  success: boolean;
  [field: string]: unknown;
}

/** The events of one asset partition's step, in order. */
function ofStep(events: readonly RunEvent[], job: string, partition: string): RunEvent[] {
  return events.filter(
    (e) =>
      e.job.name === job &&
      (e.run.facets?.strata_run as { partition?: string } | undefined)?.partition === partition,
  );
}

const assertionsOf = (facet: unknown): Assertion[] =>
  (facet as { assertions: Assertion[] } | undefined)?.assertions ?? [];

async function materializationOf(partition: string) {
  return database.db
    .selectFrom('strata_internal.materializations')
    .select(['id', 'data_version'])
    .where('asset_key', '=', 'mesh')
    .where('partition_key', '=', partition)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

describe('asset checks in OpenLineage', () => {
  it('puts the verdicts on the COMPLETE and FAIL outputs and on the readers’ inputs', async () => {
    const outcome = await run(database, graph);
    expect(outcome.kind).toBe('run');
    const events: RunEvent[] = [];
    const sink: LineageSink = {
      id: 'memory://test',
      send: (event) => {
        events.push(event);
        return Promise.resolve();
      },
    };
    await exportHistory(database.db, sink, {
      namespace: 'checks',
      schemaFieldsOf: graphSchemaFields(graph),
    });

    expectValidEvents(events);
    expectLineageOrder(events);
    expect(eventLines(ofStep(events, 'mesh', 'd1'))).toEqual(['mesh START', 'mesh COMPLETE']);
    expect(eventLines(ofStep(events, 'mesh', 'd2'))).toEqual(['mesh START', 'mesh FAIL']);
    expect(eventLines(ofStep(events, 'solve', 'd2'))).toEqual(['solve START', 'solve ABORT']);

    // mesh[d1]: COMPLETE, its output's verdicts all passed but the warning.
    const d1 = await materializationOf('d1');
    const complete = ofStep(events, 'mesh', 'd1').at(-1)!;
    expect(complete.outputs).toHaveLength(1);
    const completed = complete.outputs[0]!;
    expect(completed.facets?.strata_dataVersion).toMatchObject({
      versions: [{ partition: 'd1', dataVersion: d1.data_version, materializationId: d1.id }],
    });
    expect(assertionsOf(completed.facets?.strata_checks)).toEqual([
      {
        assertion: 'aspect_ratio',
        success: true,
        severity: 'error',
        blocking: true,
        checkVersion: 'limit-10',
        description: 'max aspect ratio 2',
        materializationId: d1.id,
        evaluatedAt: expect.any(String) as unknown,
      },
      {
        assertion: 'smooth',
        success: true,
        severity: 'warn',
        blocking: false,
        checkVersion: '1',
        description: null,
        materializationId: d1.id,
        evaluatedAt: expect.any(String) as unknown,
      },
    ]);
    // An output carries no input-dataset facet: the spec's assertions go on inputs only.
    expect(completed).not.toHaveProperty('inputFacets');

    // mesh[d2]: FAIL, still naming its output with the data version and the failed assertions.
    const d2 = await materializationOf('d2');
    const fail = ofStep(events, 'mesh', 'd2').at(-1)!;
    expect(fail.run.facets?.errorMessage).toMatchObject({
      message: 'mesh[d2] failed blocking check aspect_ratio: max aspect ratio 12',
    });
    expect(fail.outputs).toHaveLength(1);
    const failed = fail.outputs[0]!;
    expect(failed.name).toBe('mesh');
    expect(failed.facets?.strata_dataVersion).toMatchObject({
      versions: [{ partition: 'd2', dataVersion: d2.data_version, materializationId: d2.id }],
    });
    expect(
      assertionsOf(failed.facets?.strata_checks).map((a) => [a.assertion, a.success, a.blocking]),
    ).toEqual([
      ['aspect_ratio', false, true],
      ['smooth', false, false],
    ]);
    // The START of the failed step names no version (nothing was written yet).
    expect(ofStep(events, 'mesh', 'd2')[0]!.outputs[0]!.facets).not.toHaveProperty('strata_checks');

    // solve[d1] read mesh[d1]: the verdicts on it as the spec's dataQualityAssertions.
    const solved = ofStep(events, 'solve', 'd1').at(-1)!;
    expect(solved.eventType).toBe('COMPLETE');
    const input = solved.inputs.find((d) => d.name === 'mesh')!;
    expect(input.inputFacets?.dataQualityAssertions).toMatchObject({
      _schemaURL:
        'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet',
      assertions: [
        {
          assertion: 'aspect_ratio',
          success: true,
          severity: 'error',
          params: { partition: 'd1', materializationId: d1.id },
        },
        {
          assertion: 'smooth',
          success: true,
          severity: 'warn',
          params: { partition: 'd1', materializationId: d1.id },
        },
      ],
    });
    // solve has no checks: its own output carries no verdicts.
    expect(solved.outputs[0]!.facets).not.toHaveProperty('strata_checks');
  });

  it('rejects the spec’s dataQualityAssertions on an output (an input-dataset facet)', () => {
    const facet = {
      _producer: 'https://www.npmjs.com/package/strata/v/0.1.0',
      _schemaURL:
        'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet',
      assertions: [{ assertion: 'aspect_ratio', success: false }],
    };
    const event: RunEvent = {
      eventTime: '2026-01-31T12:00:00.000Z',
      producer: 'https://www.npmjs.com/package/strata/v/0.1.0',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      eventType: 'COMPLETE',
      run: { runId: '0190b6a2-3c4d-8e5f-9a1b-2c3d4e5f6a7b' },
      job: { namespace: 'strata', name: 'mesh' },
      inputs: [
        { namespace: 'strata://strata', name: 'a', inputFacets: { dataQualityAssertions: facet } },
      ],
      outputs: [
        { namespace: 'strata://strata', name: 'mesh', facets: { dataQualityAssertions: facet } },
      ],
    };
    expect(specErrors(event)).toEqual([
      'dataQualityAssertions: a InputDatasetFacet where a DatasetFacet goes',
    ]);
  });
});
