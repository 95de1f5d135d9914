// Two "machines" that share nothing but the database URL and the artifact store: separate state
// directories, separate working directories, their own tool server processes, their own names
// (STRATA_HOST_NAME). They run the example study together: machine A builds the geometry and
// the meshes, machine B solves them, its solver reading A's meshes from the shared store, and
// A's metrics read B's solutions. Then A re-runs the study forced beside B's worker and is
// killed mid-run: B finishes the run. Every partition is materialized once per run, every tool
// call's work is done once across both machines (the tool servers' own log lines), and the
// run's record names which machine did what.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import type { ArtifactRef } from '../../src/definitions/index.js';
import { waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const database = useTestDatabase();
const STUDY = path.join(REPO_ROOT, 'test/fixtures/cli/small-study.ts');
/** Design points of the fixture study, each with a CAD, a mesh and a solve. */
const DESIGNS = 4;
const TOOL_ASSETS = ['cad_revision', 'mesh', 'fea_run'];
const shared = mkdtempSync(path.join(tmpdir(), 'strata-shared-store-'));

interface Machine {
  readonly name: string;
  readonly home: string;
  readonly cwd: string;
  /** stderr of every process started on it (its tool servers write their log lines there). */
  readonly logs: CliProcess[];
}

function machine(name: string): Machine {
  const root = mkdtempSync(path.join(tmpdir(), `strata-${name}-`));
  const home = path.join(root, 'state');
  const cwd = path.join(root, 'work');
  mkdirSync(cwd, { recursive: true });
  return { name, home, cwd, logs: [] };
}

function on(host: Machine, argv: readonly string[]): CliProcess {
  const started = startCli(argv, {
    databaseUrl: database.url,
    definitions: STUDY,
    cwd: host.cwd,
    env: { STRATA_HOME: host.home, STRATA_ARTIFACT_STORE: shared, STRATA_HOST_NAME: host.name },
  });
  host.logs.push(started);
  return started;
}

async function succeeds(started: CliProcess): Promise<void> {
  const result = await started.done;
  expect(result.code, result.stderr).toBe(0);
}

/** How often each tool call's work was done, by `server tool key`, from the servers' logs. */
function workDone(machines: readonly Machine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of machines.flatMap((m) => m.logs.flatMap((p) => p.stderr().split('\n')))) {
    const match = /^(\S+): (\S+) (\S+) (worked|answered) \d+ ms$/.exec(line);
    if (match === null || match[4] !== 'worked') continue;
    const call = `${match[1]} ${match[2]} ${match[3]}`;
    counts.set(call, (counts.get(call) ?? 0) + 1);
  }
  return counts;
}

/** The host that recorded each materialization of `runId`, by asset. */
async function hostsByAsset(runId?: number): Promise<Map<string, Set<string>>> {
  let query = database.db
    .selectFrom('strata_internal.materializations')
    .select(['asset_key', 'host']);
  if (runId !== undefined) query = query.where('run_id', '=', runId);
  const rows = await query.execute();
  const hosts = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = hosts.get(row.asset_key) ?? new Set<string>();
    set.add(row.host ?? '?');
    hosts.set(row.asset_key, set);
  }
  return hosts;
}

/** Input edges of `asset` materializations: the host that read and the host that wrote. */
async function crossReads(asset: string, input: string) {
  const rows = await sql<{ reader: string; writer: string; value: unknown }>`
    select m.host as reader, d.host as writer, d.value
    from strata_internal.materializations m
    join strata_internal.materialization_inputs i on i.materialization_id = m.id
    join strata_internal.materializations d on d.id = i.dep_materialization_id
    where m.asset_key = ${asset} and i.input_name = ${input}`.execute(database.db);
  return rows.rows;
}

describe('two machines sharing only the database and the artifact store', () => {
  const a = machine('machine-a');
  const b = machine('machine-b');
  const store = new LocalArtifactStore(shared);

  it(
    'split the study, each reading what the other wrote, with each tool call worked once',
    { timeout: 120_000 },
    async () => {
      await succeeds(on(a, ['materialize', '+mesh', '--concurrency', '2']));
      await succeeds(on(b, ['materialize', '+fea_run', '--concurrency', '2']));
      await succeeds(on(a, ['materialize', '--concurrency', '2']));

      const hosts = await hostsByAsset();
      for (const key of ['cad_revision', 'mesh', 'metrics', 'pareto_front'])
        expect([...hosts.get(key)!], key).toEqual(['machine-a']);
      expect([...hosts.get('fea_run')!]).toEqual(['machine-b']);

      // B's solver read A's meshes, A's metrics read B's solutions, through the shared store.
      const solves = await crossReads('fea_run', 'mesh');
      const metrics = await crossReads('metrics', 'run');
      expect(solves).toHaveLength(DESIGNS);
      expect(metrics).toHaveLength(DESIGNS);
      for (const edge of solves) {
        expect(edge).toMatchObject({ reader: 'machine-b', writer: 'machine-a' });
        const mesh = (edge.value as { mesh: ArtifactRef }).mesh;
        expect(await store.has(mesh.artifact as never)).toBe(true);
      }
      for (const edge of metrics) {
        expect(edge).toMatchObject({ reader: 'machine-a', writer: 'machine-b' });
        const fields = (edge.value as { fields: ArtifactRef }).fields;
        expect(await store.has(fields.artifact as never)).toBe(true);
      }

      const work = workDone([a, b]);
      expect(work.size).toBe(DESIGNS * TOOL_ASSETS.length);
      expect([...work.values()].every((n) => n === 1)).toBe(true);
    },
  );

  it(
    'finish a forced run on the survivor when one is killed mid-run, without working a tool call again',
    { timeout: 120_000 },
    async () => {
      const before = workDone([a, b]);
      const survivor = on(b, ['worker', '--concurrency', '2', '--lease', '1s', '--json']);
      await survivor.stdoutMatch(/"workerId": "machine-b:/);
      const victim = on(a, ['materialize', '--force', '--concurrency', '1']);
      const runId = await waitFor('the forced run to start', async () => {
        const row = await database.db
          .selectFrom('strata_internal.runs')
          .select('id')
          .where('status', '=', 'running')
          .executeTakeFirst();
        return row?.id;
      });
      // Killed once it has finished a step and holds another.
      await waitFor('machine A to finish one step and run another', async () => {
        const rows = await database.db
          .selectFrom('strata_internal.attempts')
          .select('status')
          .where('run_id', '=', runId)
          .where('worker_id', 'like', 'machine-a:%')
          .execute();
        const statuses = rows.map((r) => r.status);
        return statuses.includes('succeeded') && statuses.includes('running') ? true : undefined;
      });
      victim.child.kill('SIGKILL');
      await victim.done;

      const finished = await waitFor(
        'machine B to finish the run',
        async () => {
          const run = await database.db
            .selectFrom('strata_internal.runs')
            .select('status')
            .where('id', '=', runId)
            .executeTakeFirstOrThrow();
          return run.status === 'running' ? undefined : run.status;
        },
        { timeoutMs: 60_000 },
      );
      expect(finished).toBe('succeeded');
      survivor.child.kill('SIGTERM');
      await survivor.done;

      // Once per partition in the run; A's attempt was handed to B, which took it over.
      const steps = await database.db
        .selectFrom('strata_internal.steps')
        .select(['asset_key', 'partition_key', 'status'])
        .where('run_id', '=', runId)
        .execute();
      expect(steps.every((s) => s.status === 'succeeded')).toBe(true);
      const counts = await sql<{ n: number }>`
        select count(*)::int as n from strata_internal.materializations where run_id = ${runId}
        group by asset_key, partition_key having count(*) > 1`.execute(database.db);
      expect(counts.rows).toEqual([]);
      const attempts = await database.db
        .selectFrom('strata_internal.attempts')
        .select(['worker_id', 'status'])
        .where('run_id', '=', runId)
        .execute();
      expect(
        attempts.some((x) => x.worker_id.startsWith('machine-a:') && x.status === 'lost'),
      ).toBe(true);
      const hosts = new Set([...(await hostsByAsset(runId)).values()].flatMap((s) => [...s]));
      expect([...hosts].sort()).toEqual(['machine-a', 'machine-b']);

      // Forced again, same inputs: every tool call was answered from what was stored.
      expect(workDone([a, b])).toEqual(before);
    },
  );
});
