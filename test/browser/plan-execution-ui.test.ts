// Executing a plan from its page in real Chromium against a real `strata serve` of the DOE study
// fixture (test/fixtures/cli/doe-study.ts, its solver fast) with named tokens: the approver reads
// the dry run, approves, clicks Execute and sees the run reach the checkpoint (the plan waits);
// a viewer's window on the same plan follows it live, without a reload; the approver continues
// with a comment and the plan ends done, both runs listed with links and full progress bars,
// and the results link the plan's partition of `front` to its materialization page, with its
// metadata and the design points each per-design asset built. Executing a plan another approver
// stopped meanwhile shows the server's refusal. Screenshots are kept.
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
  startServe,
  type ServeProcess,
} from './browser-harness.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/doe-study.ts');
const token: Record<string, string> = {};
const consoleErrors: string[] = [];
let serve: ServeProcess;
let browser: Browser;

function planDocument(title: string, seed: number) {
  return {
    version: 1,
    study: 'beam',
    title,
    rationale: 'the front is sparse below h = 0.09',
    predecessor: null,
    variables: { h: { min: 0.06, max: 0.09 } },
    doe: { kind: 'latin_hypercube', samples: 3, seed },
    pipeline: '+front',
    checkpoints: [{ after: 'section', note: 'look at the sections' }],
  };
}

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

/** A page whose browser session is the token of `role`, on the page of plan `id`. */
async function planPageAs(role: string, id: string): Promise<Page> {
  const page = await openPage(browser, consoleErrors);
  await page.goto(`${serve.url}/?token=${token[role]!}#/plans/${id}`);
  await page.locator('h1 .badge[data-state]').waitFor();
  return page;
}

const badge = (page: Page, state: string) => page.locator(`h1 .badge[data-state="${state}"]`);

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
    startServe({
      databaseUrl: database.url,
      env: { STRATA_DEFINITIONS: FIXTURE, STRATA_FIXTURE_FAST: '1' },
    }),
    launchChromium(),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('executing a plan from its page', () => {
  it('executes to the checkpoint, continues with a comment, and links the results', async () => {
    const { id } = await api<{ id: string }>('/api/plans', 'planner', {
      plan: planDocument('Thin sections', 5),
    });
    const viewer = await planPageAs('viewer', id);
    const page = await planPageAs('approver', id);

    // Before execution: the dry run; no runs; the approver approves.
    expect(await page.locator('.dry-run-summary').textContent()).toBe(
      '3 design points, 0 already built; designs 1 to build, section 3 to build, solve 3 to build, front 1 to build',
    );
    expect(await page.locator('.no-plan-runs').count()).toBe(1);
    expect(await page.locator('section[data-section="results"]').isHidden()).toBe(true);
    expect(await page.locator('button[data-action="execute"]').count()).toBe(0);
    await page.locator('textarea[aria-label="comment"]').fill('Thin enough to matter.');
    await page.locator('button[data-action="approve"]').click();
    await badge(page, 'approved').waitFor();

    // Execute: the server runs the plan to its checkpoint; the page follows it live.
    expect(await page.locator('.plan-execution .execution-intro').textContent()).toBe(
      'Executing creates the run of its first segment (up to its first checkpoint) and the server works on it.',
    );
    expect(await viewer.locator('.plan-execution').count()).toBe(0);
    await page.locator('textarea[aria-label="execution comment"]').fill('go');
    await page.locator('button[data-action="execute"]').click();
    await badge(page, 'waiting').waitFor();
    const rows = page.locator('table.plan-runs tbody tr');
    await page.locator('table.plan-runs tr[data-status="succeeded"]').waitFor();
    expect(await rows.count()).toBe(1);
    const first = rows.first();
    const firstRun = Number(await first.getAttribute('data-run'));
    expect(await first.locator('a').getAttribute('href')).toBe(`#/runs/${firstRun}`);
    expect(await first.locator('td.segment').textContent()).toBe('to checkpoint 1 (after section)');
    expect(await first.locator('.progress-text').textContent()).toBe('4/4');
    expect(await page.locator('section[data-section="dry run"]').isHidden()).toBe(true);
    expect(await page.locator('.plan-execution .execution-intro').textContent()).toContain(
      'The plan waits at checkpoint 1 (after section: look at the sections).',
    );
    expect(
      await page
        .locator('.per-design-results li')
        .evaluateAll((lis) => lis.map((li) => li.textContent)),
    ).toEqual(['section: 3 of 3 design point(s) built', 'solve: 0 of 3 design point(s) built']);
    // The viewer's window, never reloaded, followed the run to the checkpoint.
    await badge(viewer, 'waiting').waitFor();
    await viewer
      .locator(`table.plan-runs tr[data-run="${firstRun}"][data-status="succeeded"]`)
      .waitFor();
    await screenshot(page, '33-plan-waiting-at-checkpoint');

    // Continue with a comment: the rest runs and the plan is done.
    await page.locator('textarea[aria-label="execution comment"]').fill('Sections look right.');
    await page.locator('button[data-action="continue"]').click();
    await badge(page, 'done').waitFor();
    await page.locator('table.plan-runs tbody tr:nth-child(2)[data-status="succeeded"]').waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).locator('td.segment').textContent()).toBe("to the plan's end");
    expect(await rows.nth(1).locator('.progress-text').textContent()).toBe('4/4');
    expect(await page.locator('.plan-execution').count()).toBe(0);
    const history = page.locator('table.plan-history tbody tr');
    expect(
      await history.evaluateAll((trs) =>
        trs.map((tr) => `${tr.dataset.to} ${tr.querySelector('td.actor')!.textContent}`),
      ),
    ).toEqual([
      'proposed claude',
      'approved ada',
      'running ada',
      'waiting strata',
      'running ada',
      'done strata',
    ]);
    expect(await history.nth(4).locator('td.comment').textContent()).toBe('Sections look right.');

    // Results: the plan's front with its metadata and a link to its materialization.
    const detail = await api<PlanDetail>(`/api/plans/${id}`, 'viewer');
    const front = detail.results!.perPlan.find((r) => r.asset === 'front')!;
    expect(front.latest).not.toBeNull();
    const result = page.locator('.per-plan-results li[data-asset="front"]');
    expect(await result.getAttribute('data-built')).toBe('true');
    expect(await result.locator('code').textContent()).toBe(`[${id}]`);
    expect(await result.locator('dd[data-name="designs"]').textContent()).toBe('3');
    expect(await page.locator('.per-design-results li[data-asset="solve"]').textContent()).toBe(
      'solve: 3 of 3 design point(s) built',
    );
    await badge(viewer, 'done').waitFor();
    await screenshot(page, '34-plan-done-results');
    await result.locator(`a[href="#/materializations/${front.latest!.materializationId}"]`).click();
    await page.locator('h1', { hasText: `front[${id}]` }).waitFor();
    await page.goBack();
    await page.locator(`table.plan-runs tr[data-run="${firstRun}"] a`).click();
    await page.locator('h1', { hasText: `Run ${firstRun}` }).waitFor();
    await viewer.close();
    await page.close();
  });

  it("shows the server's refusal when the plan was stopped meanwhile", async () => {
    const { id } = await api<{ id: string }>('/api/plans', 'planner', {
      plan: planDocument('Stopped before it ran', 9),
    });
    await api(`/api/plans/${id}/approve`, 'approver', {});
    const page = await planPageAs('approver', id);
    await page.locator('button[data-action="execute"]').waitFor();
    await api(`/api/plans/${id}/stop`, 'approver', { comment: 'not this week' });
    await page.locator('button[data-action="execute"]').click();
    const problem = page.locator('.execution-problem .error-box');
    await problem.waitFor();
    expect(await problem.locator('strong').textContent()).toBe('Could not execute the plan (400)');
    expect(await problem.textContent()).toContain(
      `plan ${id} is stopped: it cannot execute (only an approved plan can)`,
    );
    await screenshot(page, '35-plan-execute-refused');
    await page.close();
    expect(consoleErrors.filter((m) => !/status of 400/.test(m))).toEqual([]);
    expect(consoleErrors.filter((m) => /status of 400/.test(m))).toHaveLength(1);
  });
});
