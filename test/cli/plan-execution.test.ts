// Executing an approved plan with real `strata` processes: `strata plans execute` runs to the
// checkpoint and exits, the plan waiting with no process at all; a new process continues it past
// the checkpoint; SIGKILL in the middle of that run loses nothing (`strata materialize --resume`
// finishes it and the plan is done); a code change after the approval is refused, naming it.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { waitFor } from '../executor/helpers.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli } from './cli-process.js';

const database = useTestDatabase();
const DEFINITIONS = path.join(REPO_ROOT, 'test/fixtures/cli/doe-study.ts');

function strata(argv: string[], env: Record<string, string> = {}) {
  return startCli(argv, { databaseUrl: database.url, definitions: DEFINITIONS, env });
}

async function planFile(title: string, seed: number): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'strata-plan-')), 'plan.json');
  await writeFile(
    file,
    JSON.stringify({
      version: 1,
      study: 'beam',
      title,
      rationale: 'thin sections',
      predecessor: null,
      variables: { h: { min: 0.06, max: 0.09 } },
      doe: { kind: 'latin_hypercube', samples: 3, seed },
      pipeline: '+front',
      checkpoints: [{ after: 'section', note: 'check the sections' }],
    }),
  );
  return file;
}

async function proposedAndApproved(title: string, seed: number): Promise<string> {
  const proposed = await strata(['plans', 'propose', await planFile(title, seed), '--json']).done;
  expect(proposed.code, proposed.stderr).toBe(0);
  const { id } = JSON.parse(proposed.stdout) as { id: string };
  const approved = await strata(['plans', 'approve', id, '--comment', 'go']).done;
  expect(approved.code, approved.stderr).toBe(0);
  return id;
}

async function planState(id: string): Promise<string> {
  const row = await database.db
    .selectFrom('strata_internal.plans')
    .select('state')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.state;
}

describe('strata plans execute and continue', () => {
  it('waits at the checkpoint with no process, continues in another, and survives SIGKILL', async () => {
    const id = await proposedAndApproved('killed mid-solve', 3);
    const first = await strata(['plans', 'execute', id]).done;
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${id}: run `);
    expect(first.stdout).toContain(`${id} waits at checkpoint 1: check the sections.`);
    expect(first.stdout).toContain(`Continue with: strata plans continue ${id}`);
    expect(await planState(id)).toBe('waiting');

    // Past the checkpoint in a new process, killed while it solves.
    const second = strata(['plans', 'continue', id, '--comment', 'sections fine']);
    const running = await waitFor('a solve to be running', () =>
      database.db
        .selectFrom('strata_internal.attempts as a')
        .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
        .select(['s.run_id'])
        .where('s.asset_key', '=', 'solve')
        .where('a.status', '=', 'running')
        .executeTakeFirst(),
    );
    second.child.kill('SIGKILL');
    await second.done;
    expect(await planState(id)).toBe('running');

    const resumed = await strata(['materialize', '--resume', String(running.run_id)], {
      STRATA_FIXTURE_FAST: '1',
    }).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await planState(id)).toBe('done');
    const shown = await strata(['plans', 'show', id]).done;
    expect(shown.stdout).toMatch(
      /running -> waiting {2}by strata \(run \d+\) .*: reached checkpoint 1/,
    );
    expect(shown.stdout).toMatch(/waiting -> running {2}by \S+@\S+ .*: sections fine/);
    expect(shown.stdout).toMatch(/running -> done {2}by strata \(run \d+\)/);

    // Exactly one materialization per partition of the plan, killed run included.
    const counts = await database.db
      .selectFrom('strata_internal.materializations as m')
      .innerJoin('strata_internal.runs as r', 'r.id', 'm.run_id')
      .select(['m.asset_key', 'm.partition_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('r.plan_id', '=', id)
      .groupBy(['m.asset_key', 'm.partition_key'])
      .execute();
    expect(counts.map((c) => Number(c.n))).toEqual(Array(counts.length).fill(1));
    expect(counts.filter((c) => c.asset_key === 'solve')).toHaveLength(3);
    const provenance = await strata(['provenance', `front[${id}]`]).done;
    expect(provenance.stdout).toContain(`${id} (killed mid-solve) done`);
    expect(provenance.stdout).toMatch(/approved by \S+@\S+ \(cli on \S+\) .*: go/);
  });

  it('refuses to execute after a code change, naming it, and writes nothing', async () => {
    const id = await proposedAndApproved('code changes', 4);
    const refused = await strata(['plans', 'execute', id], { STRATA_SOLVE_VERSION: '2' }).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `error: plan ${id} was approved for other code; changed since its approval: solve: code version 1 -> 2`,
    );
    expect(refused.stderr).toContain(
      `hint: review it again and approve it for this code: strata plans approve ${id}`,
    );
    expect(await planState(id)).toBe('approved');
    const runs = await database.db
      .selectFrom('strata_internal.runs')
      .select('id')
      .where('plan_id', '=', id)
      .execute();
    expect(runs).toEqual([]);
  });
});
