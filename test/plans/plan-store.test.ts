// The approval gate against real PostgreSQL: proposing stores a checked plan under its content
// id (once), and every change of state is one transaction that checks the actor's role, the
// proposer where it matters and the state, and records who, from where and why. A planner may
// propose but never approve (table-driven over actions, roles and states).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, study } from '../../src/definitions/index.js';
import {
  changePlanState,
  listPlans,
  PlanValidationError,
  proposePlan,
  type PlanAction,
  type PlanActor,
} from '../../src/plans/index.js';
import { runCli } from '../cli/cli-harness.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf } from '../support/engine.js';

const database = useTestDatabase();

const designs = asset({ key: 'designs', schema: z.number(), compute: () => 1 });
const mesh = asset({ key: 'mesh', deps: { designs }, schema: z.number(), compute: () => 1 });
const graph = graphOf([designs, mesh], {
  studies: [
    study({
      key: 'bracket',
      variables: { height_m: { min: 0.06, max: 0.2 } },
      assets: [designs, mesh],
    }),
  ],
});

const planner: PlanActor = { name: 'claude', role: 'planner', origin: 'mcp' };
const approver: PlanActor = { name: 'ada', role: 'approver', origin: '10.0.0.7' };
const viewer: PlanActor = { name: 'vic', role: 'viewer', origin: '10.0.0.8' };

function planDocument(title: string) {
  return {
    version: 1,
    study: 'bracket',
    title,
    rationale: 'to see',
    predecessor: null,
    variables: { height_m: { min: 0.08, max: 0.1 } },
    doe: { kind: 'latin_hypercube', samples: 4, seed: 1 },
    pipeline: '+mesh',
  };
}

describe('the approval gate', () => {
  it('stores a proposed plan once under its content id, with who proposed it and why', async () => {
    const first = await proposePlan(
      database.db,
      graph,
      planDocument('once'),
      planner,
      'sparse corner',
    );
    const again = await proposePlan(
      database.db,
      graph,
      JSON.stringify(planDocument('once')),
      planner,
    );
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ state: 'proposed', proposedBy: 'claude', study: 'bracket' });
    expect(again.transitions).toEqual([
      expect.objectContaining({
        from: null,
        to: 'proposed',
        actor: 'claude',
        origin: 'mcp',
        comment: 'sparse corner',
      }),
    ]);
  });

  it('writes nothing for a plan that is not valid, or revises one that does not exist', async () => {
    const before = (await listPlans(database.db)).length;
    await expect(
      proposePlan(
        database.db,
        graph,
        { ...planDocument('wide'), variables: { height_m: { min: 0.01, max: 0.1 } } },
        planner,
      ),
    ).rejects.toBeInstanceOf(PlanValidationError);
    await expect(
      proposePlan(
        database.db,
        graph,
        { ...planDocument('orphan'), predecessor: 'plan-0123456789abcdef' },
        planner,
      ),
    ).rejects.toThrow('predecessor: no plan plan-0123456789abcdef');
    await expect(proposePlan(database.db, graph, planDocument('viewer'), viewer)).rejects.toThrow(
      'vic (role viewer) may not propose plans',
    );
    expect((await listPlans(database.db)).length).toBe(before);
  });

  it.each<[string, PlanAction, PlanActor, string | RegExp]>([
    ['a planner approving', 'approve', planner, 'claude (role planner) may not approve plans'],
    ['a viewer rejecting', 'reject', viewer, 'vic (role viewer) may not reject plans'],
    [
      'someone else withdrawing',
      'withdraw',
      approver,
      /^only claude, who proposed plan-\w+, may withdraw it \(not ada\)$/,
    ],
    ['an approver approving', 'approve', approver, 'approved'],
    ['an approver rejecting', 'reject', approver, 'rejected'],
    ['the proposer withdrawing', 'withdraw', planner, 'withdrawn'],
  ])('%s a proposed plan', async (title, action, actor, outcome) => {
    const proposed = await proposePlan(database.db, graph, planDocument(title), planner);
    const attempt = changePlanState(database.db, graph, proposed.id, action, actor, 'because');
    if (outcome === 'approved' || outcome === 'rejected' || outcome === 'withdrawn') {
      const changed = await attempt;
      expect(changed.state).toBe(outcome);
      expect(changed.transitions.at(-1)).toMatchObject({
        from: 'proposed',
        to: outcome,
        actor: actor.name,
        origin: actor.origin,
        comment: 'because',
      });
      // Rejected and withdrawn are final; approved again only for other code.
      await expect(
        changePlanState(database.db, graph, proposed.id, 'approve', approver),
      ).rejects.toThrow(
        outcome === 'approved'
          ? `ada already approved plan ${proposed.id} for the code running now`
          : `plan ${proposed.id} is ${outcome}: it cannot be approved (only a proposed or approved or failed plan can)`,
      );
    } else {
      await expect(attempt).rejects.toThrow(outcome);
      const [unchanged] = await listPlans(database.db, { ids: [proposed.id] });
      expect(unchanged!.state).toBe('proposed');
      expect(unchanged!.transitions).toHaveLength(1);
    }
  });

  it('approves from the CLI as the OS user, and shows the history', async () => {
    const proposed = await runCli(
      ['plans', 'propose', 'examples/plans/thin-titanium.json', '--json'],
      {
        databaseUrl: database.url,
      },
    );
    expect(proposed.code, proposed.stderr).toBe(0);
    const { id } = JSON.parse(proposed.stdout) as { id: string };
    const approved = await runCli(['plans', 'approve', id, '--comment', 'looks right'], {
      databaseUrl: database.url,
    });
    expect(approved.stdout).toMatch(new RegExp(`^${id} is approved \\(by \\S+@\\S+\\)\\.$`, 'm'));
    const shown = await runCli(['plans', 'show', id], { databaseUrl: database.url });
    expect(shown.stdout).toMatch(
      /proposed -> approved {2}by \S+@\S+ \(cli on \S+\) just now: looks right/,
    );
    const twice = await runCli(['plans', 'approve', id], { databaseUrl: database.url });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(
      new RegExp(`\\S+@\\S+ already approved plan ${id} for the code running now`),
    );
  });
});
