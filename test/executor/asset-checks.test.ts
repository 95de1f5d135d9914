// Asset checks in the engine: evaluated in the materialization's step and recorded with it; a
// failing blocking check fails its step (its value kept for inspection), skips what depends on
// it, makes the partition `blocked`, holds back its readers in later plans, and is refused just
// in time by a step that would read it anyway; `strata check` (runChecks) judges again.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  type AssetKey,
  check,
  staticPartitions,
  type CheckDefinition,
} from '../../src/definitions/index.js';
import { runChecks } from '../../src/executor/index.js';
import {
  computeStatus,
  createPlan,
  loadPartitionActivity,
  rootCauses,
} from '../../src/planner/index.js';
import { loadCheckResultsOf, recordCheckEvaluations } from '../../src/provenance/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses, testEngine } from '../support/engine.js';
import { deferred, runEvents, stepOf, summaryOf } from './helpers.js';

const database = useTestDatabase();

const ASPECT: Record<string, number> = { d1: 2, d2: 12, d3: 4 };

/** mesh[d1..d3] -> solve[d1..d3] -> report (fan-in); mesh has a blocking and a warning check. */
function study(
  prefix: string,
  limit = 10,
  extraChecks: (m: unknown) => CheckDefinition[] = () => [],
) {
  const designs = staticPartitions(['d1', 'd2', 'd3']);
  const mesh = asset({
    key: `${prefix}/mesh`,
    partitions: designs,
    schema: z.object({ maxAspect: z.number() }),
    compute: ({ partitionKey }) => ({ maxAspect: ASPECT[partitionKey!]! }),
  });
  const solve = asset({
    key: `${prefix}/solve`,
    partitions: designs,
    deps: { mesh },
    schema: z.number(),
    compute: ({ inputs }) => inputs.mesh.maxAspect * 2,
  });
  const report = asset({
    key: `${prefix}/report`,
    deps: { solve: allPartitions(solve) },
    schema: z.number(),
    compute: ({ inputs }) => Object.keys(inputs.solve).length,
  });
  const checks = [
    check({
      asset: mesh,
      name: 'aspect_ratio',
      blocking: true,
      codeVersion: `limit-${limit}`,
      run: ({ value }) => ({
        passed: value.maxAspect <= limit,
        description: `max aspect ratio ${value.maxAspect}`,
        metadata: { maxAspect: value.maxAspect },
      }),
    }),
    check({
      asset: mesh,
      name: 'smooth',
      severity: 'warn',
      codeVersion: '1',
      run: ({ value }) => value.maxAspect < 3,
    }),
    ...extraChecks(mesh),
  ];
  return { graph: graphOf([mesh, solve, report], { checks }), mesh, solve, report };
}

describe('asset checks in a run', () => {
  it('fails the step a blocking check fails, keeps its value, and skips what reads it', async () => {
    const { graph } = study('a');
    const outcome = await run(database, graph);
    const summary = summaryOf(outcome);
    expect(summary.status).toBe('failed');
    expect(stepStatuses(outcome)).toEqual([
      'a/mesh[d1]: succeeded',
      'a/mesh[d2]: failed',
      'a/mesh[d3]: succeeded',
      'a/report: skipped',
      'a/solve[d1]: succeeded',
      'a/solve[d2]: skipped',
      'a/solve[d3]: succeeded',
    ]);
    expect(stepOf(summary, 'a/mesh', 'd2').error).toBe(
      'a/mesh[d2] failed blocking check aspect_ratio: max aspect ratio 12',
    );
    expect(stepOf(summary, 'a/solve', 'd2').error).toBe(
      'upstream a/mesh[d2] failed a blocking check',
    );

    // Every evaluation is recorded with its materialization, the failed one included.
    const rows = await database.db
      .selectFrom('strata_internal.check_evaluations')
      .select(['partition_key', 'check_name', 'check_version', 'passed', 'blocking', 'run_id'])
      .where('asset_key', '=', 'a/mesh')
      .orderBy('partition_key')
      .orderBy('check_name')
      .execute();
    expect(rows.map((r) => `${r.partition_key} ${r.check_name} ${r.passed}`)).toEqual([
      'd1 aspect_ratio true',
      'd1 smooth true',
      'd2 aspect_ratio false',
      'd2 smooth false',
      'd3 aspect_ratio true',
      'd3 smooth false',
    ]);
    expect(new Set(rows.map((r) => Number(r.run_id)))).toEqual(new Set([summary.runId]));
    expect(rows.find((r) => r.check_name === 'aspect_ratio')!.check_version).toBe('limit-10');

    const events = await runEvents(database, summary.runId, 'check_evaluated');
    expect(
      events.map((e) => [e.partition_key, e.data!.check, e.level]).filter(([p]) => p === 'd2'),
    ).toEqual([
      ['d2', 'aspect_ratio', 'error'],
      ['d2', 'smooth', 'warn'],
    ]);
    const failed = await runEvents(database, summary.runId, 'step_failed');
    expect(failed.map((e) => e.data!.error.name)).toEqual(['BlockingCheckFailed']);
    const mesh2 = await database.db
      .selectFrom('strata_internal.latest_materializations')
      .select('materialization_id')
      .where('asset_key', '=', 'a/mesh')
      .where('partition_key', '=', 'd2')
      .executeTakeFirstOrThrow();
    expect(stepOf(summary, 'a/mesh', 'd2').materializationId).toBe(mesh2.materialization_id);
  });

  it('reports the blocked partition and holds its readers back until the check passes', async () => {
    const { graph } = study('b');
    await run(database, graph);

    const report = await computeStatus(database.db, graph, graph.order);
    const mesh2 = report.statuses.get('b/mesh' as AssetKey)!.get('d2')!;
    expect(mesh2.status).toBe('blocked');
    expect(mesh2.status === 'blocked' && mesh2.causes[0]).toMatchObject({
      category: 'check',
      check: 'aspect_ratio',
      description: 'max aspect ratio 12',
    });
    // Its step failed, but the partition is blocked, not failed: it has that materialization.
    const activity = await loadPartitionActivity(database.db, ['b/mesh' as AssetKey]);
    expect(activity.get('b/mesh' as AssetKey)?.get('d2')).toBeUndefined();
    // The warning check failed on d3 too, but it does not block.
    expect(report.statuses.get('b/mesh' as AssetKey)!.get('d3')!.status).toBe('fresh');
    const solve2 = report.statuses.get('b/solve' as AssetKey)!.get('d2')!;
    expect(solve2).toMatchObject({
      status: 'missing',
      causes: [{ category: 'upstream', dependency: 'b/mesh', dependencyStatus: 'blocked' }],
    });
    expect(rootCauses(report, 'b/report' as AssetKey, '')).toMatchObject([
      { key: 'b/mesh', partition: 'd2', status: 'blocked', causes: [{ category: 'check' }] },
      { key: 'b/solve', partition: 'd2', status: 'missing', causes: [] },
    ]);

    // Planning again: the blocked mesh is not rebuilt, and nothing reads it.
    const plan = await createPlan(database.db, graph, undefined);
    expect(plan.steps.map((s) => `${s.key}[${s.partition}]`)).toEqual([]);
    expect(plan.blockedCount).toBe(1);
    expect(plan.held.map((h) => [h.key, h.partition, h.blockedBy.partition, h.checks])).toEqual([
      ['b/solve', 'd2', 'd2', ['aspect_ratio']],
      ['b/report', '', 'd2', ['aspect_ratio']],
    ]);
    // Forced, the blocked partition is rebuilt and its readers planned after it.
    const forced = await createPlan(database.db, graph, 'b/mesh+', {
      force: true,
      partitions: ['d2'],
    });
    expect(forced.steps.map((s) => `${s.key}[${s.partition}]:${s.forced}`)).toContain(
      'b/mesh[d2]:true',
    );
    expect(forced.held).toEqual([]);

    // A looser check, judged on its own, unblocks the partition: readers are planned.
    const looser = study('b', 20);
    const judged = await runChecks(testEngine(database, looser.graph), {
      selection: 'b/mesh',
      checks: ['aspect_ratio'],
    });
    expect(judged.evaluations.map((e) => [e.partitionKey, e.passed, e.checkVersion])).toEqual([
      ['d1', true, 'limit-20'],
      ['d2', true, 'limit-20'],
      ['d3', true, 'limit-20'],
    ]);
    const after = await createPlan(database.db, looser.graph, undefined);
    expect(after.held).toEqual([]);
    expect(after.blockedCount).toBe(0);
    expect(after.steps.map((s) => `${s.key}[${s.partition}]`)).toEqual([
      'b/solve[d2]',
      'b/report[]',
    ]);
    const finished = await run(database, looser.graph);
    expect(summaryOf(finished).status).toBe('succeeded');
  });

  it('refuses, just in time, to read a materialization a blocking check failed after planning', async () => {
    const gate = deferred();
    const started = deferred();
    const { graph: base, mesh } = study('c', 100);
    await run(database, base, { selection: 'c/mesh' });
    const slow = asset({
      key: 'c/slow',
      schema: z.number(),
      compute: async () => {
        started.resolve();
        await gate.promise;
        return 1;
      },
    });
    const reader = asset({
      key: 'c/reader',
      deps: { mesh, slow },
      partitions: mesh.partitions,
      schema: z.number(),
      compute: ({ inputs }) => inputs.mesh.maxAspect + inputs.slow,
    });
    const strict = check({
      asset: mesh,
      name: 'aspect_ratio',
      blocking: true,
      codeVersion: 'limit-100',
      run: () => true,
    });
    const graph = graphOf([mesh, slow, reader], { checks: [strict] });
    const running = run(database, graph, { selection: '+c/reader' });
    await started.promise;
    // The verdict changes while the run waits: another `strata check` found d2 failing.
    const latest = await database.db
      .selectFrom('strata_internal.latest_materializations')
      .select('materialization_id')
      .where('asset_key', '=', 'c/mesh')
      .where('partition_key', '=', 'd2')
      .executeTakeFirstOrThrow();
    await recordCheckEvaluations(database.db, [
      {
        materializationId: latest.materialization_id,
        assetKey: 'c/mesh',
        partitionKey: 'd2',
        checkName: 'aspect_ratio',
        checkVersion: 'limit-100',
        passed: false,
        severity: 'error',
        blocking: true,
        description: 'judged again',
        metadata: {},
        error: null,
        runId: null,
        stepId: null,
        evaluatedAt: new Date(),
        durationMs: 1,
      },
    ]);
    gate.resolve();
    const outcome = await running;
    expect(stepStatuses(outcome)).toEqual([
      'c/reader[d1]: succeeded',
      'c/reader[d2]: failed',
      'c/reader[d3]: succeeded',
      'c/slow: succeeded',
    ]);
    const refused = stepOf(summaryOf(outcome), 'c/reader', 'd2');
    expect(refused.error).toMatch(
      /^c\/reader\[d2\] cannot run: input c\/mesh\[d2\] \(materialization \d+\) failed blocking check aspect_ratio$/,
    );
    expect(refused.attempts).toBe(1); // a blocked input is final: not retried
  });

  it('judges a reused materialization again, with the checks declared now', async () => {
    const { graph } = study('d', 100);
    await run(database, graph, { selection: 'd/mesh' });
    // Forced with a stricter check: reuse would not compute, but the checks judge the value.
    const stricter = study('d', 3);
    const outcome = await run(database, stricter.graph, { selection: 'd/mesh', force: true });
    expect(stepStatuses(outcome)).toEqual([
      'd/mesh[d1]: succeeded',
      'd/mesh[d2]: failed',
      'd/mesh[d3]: failed',
    ]);
    const ids = summaryOf(outcome).steps.map((s) => s.materializationId!);
    const verdicts = await loadCheckResultsOf(database.db, ids);
    expect(
      [...verdicts.values()]
        .flat()
        .map((v) => `${v.checkName}:${v.checkVersion}:${v.passed}`)
        .sort(),
    ).toEqual([
      'aspect_ratio:limit-3:false',
      'aspect_ratio:limit-3:false',
      'aspect_ratio:limit-3:true',
      'smooth:1:false',
      'smooth:1:false',
      'smooth:1:true',
    ]);
  });

  it('records a check that throws or returns no verdict as failed, with its error', async () => {
    const broken = (mesh: unknown) => [
      check({
        asset: mesh as never,
        name: 'throws',
        run: () => {
          throw new Error('mesh file unreadable');
        },
      }),
      check({ asset: mesh as never, name: 'no_verdict', run: () => 'yes' as never }),
    ];
    const { graph } = study('e', 100, broken);
    const outcome = await run(database, graph, { selection: 'e/mesh[d1]' });
    expect(summaryOf(outcome).status).toBe('succeeded'); // neither blocks
    const rows = await database.db
      .selectFrom('strata_internal.check_evaluations')
      .select(['check_name', 'passed', 'description', 'error'])
      .where('asset_key', '=', 'e/mesh')
      .where('check_name', 'in', ['throws', 'no_verdict'])
      .orderBy('check_name')
      .execute();
    expect(rows.map((r) => [r.check_name, r.passed, r.description])).toEqual([
      [
        'no_verdict',
        false,
        'check e/mesh[d1]:no_verdict returned "yes"; expected true, false or { passed, description?, metadata? }',
      ],
      ['throws', false, 'mesh file unreadable'],
    ]);
    expect(rows.every((r) => r.error !== null)).toBe(true);
  });
});
