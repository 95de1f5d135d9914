// The Plans pages in real Chromium against a real `strata serve` of the engineering example with
// named tokens: a planner proposes a plan of the study `bracket` over HTTP; a viewer finds it in
// the Plans list (filtered by state) and reads it: the variables beside the study's bounds, the
// levels, one scatter panel per pair of the study's four continuous variables with one circle
// per design point and a hover naming the point, the pipeline's assets in order and outlined on
// the graph; only an approver gets Approve and Reject (the planner, its proposer, gets Withdraw);
// a refused decision shows the server's message; approving with a comment turns the plan
// approved, and the history names the approver with the comment. Screenshots are kept.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanDetail } from '../../lineage/src/api/types.js';
import { createApiToken } from '../../src/access/index.js';
import { REPO_ROOT } from '../cli/cli-harness.js';
import { useTestDatabase } from '../support/database.js';
import {
  launchChromium,
  openPage,
  screenshot,
  SCREENSHOT_DIR,
  startServe,
  type ServeProcess,
} from './browser-harness.js';

const database = useTestDatabase();
const token: Record<string, string> = {};
const consoleErrors: string[] = [];
let serve: ServeProcess;
let browser: Browser;
let plan: PlanDetail;
let other: PlanDetail;

/** The example plan, sampling two materials. */
const PLAN = {
  ...(JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'examples/plans/thin-titanium.json'), 'utf8'),
  ) as { doe: Record<string, unknown> }),
  title: 'Thin titanium and steel brackets',
  levels: { material: ['titanium', 'steel'] },
};

async function api<T>(route: string, role: string, body?: unknown): Promise<T> {
  const response = await fetch(`${serve.url}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: `Bearer ${token[role]!}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  expect(response.ok, text).toBe(true);
  return JSON.parse(text) as T;
}

/** A page whose browser session is the token of `role` (opened with ?token= once). */
async function pageAs(role: string): Promise<Page> {
  const page = await openPage(browser, consoleErrors);
  await page.goto(`${serve.url}/?token=${token[role]!}#/plans`);
  return page;
}

beforeAll(async () => {
  const names = { planner: 'claude', approver: 'ada', viewer: 'vera' } as const;
  for (const [role, name] of Object.entries(names))
    token[role] = (
      await createApiToken(database.db, {
        name,
        role: role as keyof typeof names,
        createdBy: 'test@host',
      })
    ).token;
  [serve, browser] = await Promise.all([
    startServe({ databaseUrl: database.url }),
    launchChromium(),
  ]);
  const proposed = await api<{ id: string }>('/api/plans', 'planner', {
    plan: PLAN,
    comment: 'fills the light end of the front',
  });
  plan = await api<PlanDetail>(`/api/plans/${proposed.id}`, 'viewer');
  const second = await api<{ id: string }>('/api/plans', 'planner', {
    plan: {
      ...PLAN,
      title: 'Withdrawn before anyone looked',
      doe: { ...PLAN.doe, seed: 8 },
    },
  });
  other = await api<PlanDetail>(`/api/plans/${second.id}`, 'viewer');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the Plans pages', () => {
  it('lists the plans with their state and points, filtered by state', async () => {
    const page = await pageAs('viewer');
    const rows = page.locator('table.plans tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const row = page.locator(`tr[data-plan="${plan.id}"]`);
    expect(await row.locator('td.title').textContent()).toBe('Thin titanium and steel brackets');
    expect(await row.locator('.badge').textContent()).toBe('proposed');
    expect(await row.locator('td.points').textContent()).toBe('12');
    expect(await row.textContent()).toContain('claude');
    expect(await page.locator('nav a.active').textContent()).toBe('Plans');
    await page.locator('select[aria-label="filter plans by state"]').selectOption('approved');
    await page.locator('p.muted', { hasText: 'No approved plans.' }).waitFor();
    await page.locator('select[aria-label="filter plans by state"]').selectOption('proposed');
    await expect.poll(() => rows.count()).toBe(2);
    await screenshot(page, '30-plans-list');
    await page.close();
  });

  it('shows a plan: variables, levels, the design points as a scatter-plot matrix, the pipeline', async () => {
    const page = await pageAs('viewer');
    await page.locator(`tr[data-plan="${plan.id}"] td.title a`).click();
    await page.locator('table.variables-table').waitFor();
    expect(await page.locator('h1').textContent()).toBe(
      'Thin titanium and steel brackets proposed',
    );

    // The study's four continuous variables; the plan narrows two of them.
    const variables = page.locator('table.variables-table tbody tr');
    expect(await variables.evaluateAll((trs) => trs.map((tr) => tr.dataset.variable))).toEqual([
      'length_m',
      'height_m',
      'thickness_m',
      'tip_load_n',
    ]);
    const height = page.locator('table.variables-table tr[data-variable="height_m"]');
    expect(
      await height.locator('td.num').evaluateAll((tds) => tds.map((td) => td.textContent)),
    ).toEqual(['0.06', '0.12', '0.06', '0.2', '43 %']);
    expect(await height.textContent()).toContain('narrowed by the plan');
    expect(await variables.nth(0).textContent()).toContain("the study's bounds");
    const material = page.locator('table.levels-table tr[data-variable="material"]');
    expect(await material.locator('.level-kept').allTextContents()).toEqual(['titanium', 'steel']);
    expect(await material.locator('.level-out').allTextContents()).toEqual(['aluminium']);

    // 4 continuous variables: 6 pairs, each with one circle per design point.
    expect(plan.points).toHaveLength(12);
    const panels = page.locator('.scatter-matrix .scatter-panel');
    expect(await panels.count()).toBe(6);
    for (let i = 0; i < 6; i++)
      expect(await panels.nth(i).locator('circle.point').count()).toBe(12);
    const keys = await page
      .locator('.scatter-panel circle.point')
      .evaluateAll((circles) => [...new Set(circles.map((c) => c.getAttribute('data-key')))]);
    expect(keys.sort()).toEqual(plan.points.map((p) => p.key).sort());
    expect(await page.locator('.scatter-panel text.tick').count()).toBeGreaterThan(6);
    expect(await page.locator('.scatter-legend .legend-level').allTextContents()).toEqual([
      'titanium (6)',
      'steel (6)',
    ]);
    const first = plan.points[0]!;
    await page.locator(`.scatter-panel circle[data-key="${first.key}"]`).first().hover();
    const tooltip = page.locator('.scatter-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain(first.key);
    expect(await tooltip.textContent()).toContain(`material = ${String(first.values.material)}`);
    expect(await page.locator(`circle.hovered[data-key="${first.key}"]`).count()).toBe(6);
    expect(await page.locator('.doe-summary').textContent()).toContain(
      'Latin hypercube: 12 sample(s), seed 7',
    );

    // The pipeline, in the API's topological order, outlined on the graph.
    expect(plan.pipelineAssets).toEqual(
      expect.arrayContaining(['designs', 'mesh', 'pareto_front']),
    );
    expect(
      await page
        .locator('.pipeline-assets li')
        .evaluateAll((lis) => lis.map((li) => li.dataset.asset)),
    ).toEqual(plan.pipelineAssets);
    expect(
      await page.locator('.pipeline-assets li[data-asset="mesh"] .checkpoint-tag').count(),
    ).toBe(1);
    await page
      .locator(
        `.plan-graph .graph-view[data-matches="${plan.pipelineAssets!.length}"][data-ready="true"]`,
      )
      .waitFor();
    expect(await page.locator('.checkpoints li[data-after="mesh"]').textContent()).toBe(
      'after mesh: look at the meshes before solving',
    );
    expect(await page.locator('.plan-limits').textContent()).toContain(
      'at most 12 (the DOE gives 12)',
    );

    // A viewer may decide nothing.
    expect(await page.locator('.plan-decision').count()).toBe(0);
    expect(await page.locator('.whoami').textContent()).toBe('vera · viewer');
    await screenshot(page, '31-plan-page');
    for (const [section, name] of [
      ['design of experiments', '31-plan-design-points'],
      ['pipeline', '31-plan-pipeline'],
    ] as const)
      await page
        .locator(`section[data-section="${section}"]`)
        .screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
    await page.close();
  });

  it('offers the planner, who proposed it, Withdraw but not Approve', async () => {
    const page = await pageAs('planner');
    await page.goto(`${serve.url}/#/plans/${plan.id}`);
    await page.locator('.plan-decision button[data-action="withdraw"]').waitFor();
    expect(await page.locator('button[data-action="approve"]').count()).toBe(0);
    expect(await page.locator('button[data-action="reject"]').count()).toBe(0);
    await page.close();
  });

  it("lets an approver approve with a comment; a refusal shows the server's message", async () => {
    const page = await pageAs('approver');
    // Withdrawn by its proposer while the approver looks: the server refuses, the page says why.
    await page.goto(`${serve.url}/#/plans/${other.id}`);
    await page.locator('button[data-action="approve"]').waitFor();
    await api(`/api/plans/${other.id}/withdraw`, 'planner', {});
    await page.locator('button[data-action="approve"]').click();
    const problem = page.locator('.decision-problem .error-box');
    await problem.waitFor();
    expect(await problem.locator('strong').textContent()).toBe('Could not approve the plan (400)');
    expect(await problem.textContent()).toContain(
      `plan ${other.id} is withdrawn: it cannot be approved`,
    );
    await screenshot(page, '32-plan-decision-refused');

    await page.goto(`${serve.url}/#/plans/${plan.id}`);
    await page.locator('button[data-action="reject"]').waitFor();
    expect(await page.locator('.whoami').textContent()).toBe('ada · approver');
    await page.locator('textarea[aria-label="comment"]').fill('Looks right: go ahead.');
    await page.locator('button[data-action="approve"]').click();
    await page.locator('h1 .badge[data-state="approved"]').waitFor();
    const last = page.locator('table.plan-history tbody tr').last();
    expect(await last.getAttribute('data-to')).toBe('approved');
    expect(await last.locator('td.actor').textContent()).toBe('ada');
    expect(await last.locator('td.comment').textContent()).toBe('Looks right: go ahead.');
    expect(await page.locator('.plan-decision').count()).toBe(0);
    await screenshot(page, '32-plan-approved');

    const approved = await api<PlanDetail>(`/api/plans/${plan.id}`, 'viewer');
    expect(approved.state).toBe('approved');
    expect(approved.transitions.at(-1)).toMatchObject({
      actor: 'ada',
      comment: 'Looks right: go ahead.',
    });
    await page.goto(`${serve.url}/#/plans?state=approved`);
    await page.locator(`tr[data-plan="${plan.id}"]`).waitFor();
    expect(await page.locator('table.plans tbody tr').count()).toBe(1);
    await page.close();

    // The only console errors are the refused request's.
    expect(consoleErrors.filter((m) => !/status of 400/.test(m))).toEqual([]);
    expect(consoleErrors.filter((m) => /status of 400/.test(m))).toHaveLength(1);
  });
});
