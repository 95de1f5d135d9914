// Asset checks in the lineage browser (test/fixtures/browser/checked-study.ts): a run of
// everything, whose blocking check `aspect_ratio` fails on mesh[d07] only. The run's log marks
// each verdict and keeps them by level; the graph shows mesh blocked (legend, tooltip, panel);
// the catalog's status facet keeps it; the asset page lists mesh's checks, says why it is
// blocked, and its partitions grid marks each cell's verdict, details d07's verdicts and keeps
// exactly d07 under "failing checks" and under status blocked; an unpartitioned asset's page
// shows its check's verdict; a reader of the blocked partition says it cannot read it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let runId: number;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [serve, browser] = await Promise.all([
    startServe({
      databaseUrl: database.url,
      env: { STRATA_DEFINITIONS: `${REPO_ROOT}test/fixtures/browser/checked-study.ts` },
    }),
    launchChromium(),
  ]);
  page = await openPage(browser, consoleErrors);
  const response = await fetch(`${serve.url}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({}),
  });
  expect(response.status).toBeLessThan(300);
  runId = ((await response.json()) as { runId: number }).runId;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** The partition keys of the cells the grid shows, once it has loaded. */
async function shownCells(): Promise<string[]> {
  await page.locator('.partition-grid[aria-busy="false"]').waitFor();
  return page
    .locator('.partition-grid .cell')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-partition') ?? ''));
}

describe('asset checks in the lineage browser', () => {
  it("marks the checks' verdicts in the run's log and keeps them by level", async () => {
    await page.goto(`${serve.url}/#/runs/${runId}`);
    // The blocking check fails mesh[d07]'s step, so the run fails.
    await page
      .locator('.page-header h1 .badge', { hasText: 'failed' })
      .waitFor({ timeout: 30_000 });
    const checkLines = page.locator('.log li[data-kind="check_evaluated"]');
    // Info and above: every verdict, 1 on settings, 2 on each of 16 meshes, 1 on each of 15 solves.
    await expect.poll(() => checkLines.count()).toBe(1 + 32 + 15);
    const blocking = page.locator('.log li[data-verdict="blocking"]');
    expect(await blocking.count()).toBe(1);
    expect(await blocking.textContent()).toContain(
      'mesh[d07] check aspect_ratio failed (blocking): max aspect ratio 14.2 (limit 10)',
    );
    expect(await blocking.locator('.check-mark').textContent()).toBe('⊘');
    const judged = await blocking.locator('a.log-link').getAttribute('href');
    expect(judged).toMatch(/^#\/materializations\/\d+$/);
    expect(
      await page.locator('.log li[data-verdict="passed"] .check-mark').first().textContent(),
    ).toBe('✓');

    // From warnings up: the warning on solve[d03] and the blocking failure, no verdict passed.
    await page.getByRole('combobox', { name: 'log level' }).selectOption('warn');
    await expect
      .poll(() =>
        checkLines.evaluateAll((lines) => lines.map((l) => l.getAttribute('data-verdict')).sort()),
      )
      .toEqual(['blocking', 'warn']);
    expect(await page.locator('.log li[data-verdict="warn"]').textContent()).toContain(
      'solve[d03] check stress_margin warned: margin 12% (wanted 20%)',
    );
    await page.locator('.run-log').scrollIntoViewIfNeeded();
    await screenshot(page, 'checks-01-run-log');
    // Errors only: the blocking failure and the step it failed, nothing else.
    await page.getByRole('combobox', { name: 'log level' }).selectOption('error');
    await expect
      .poll(() =>
        checkLines.evaluateAll((lines) => lines.map((l) => l.getAttribute('data-verdict'))),
      )
      .toEqual(['blocking']);
    expect(
      await page
        .locator('.log li')
        .evaluateAll((lines) => lines.map((l) => l.getAttribute('data-kind'))),
    ).toEqual(expect.arrayContaining(['check_evaluated', 'step_failed']));
    expect(await page.locator('.log li.log-info').count()).toBe(0);
  });

  it('shows mesh blocked on the graph: legend, tooltip and panel', async () => {
    await page.goto(`${serve.url}/#/?asset=mesh`);
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    expect(await page.locator('.legend-item', { hasText: 'blocked' }).textContent()).toBe(
      'blocked 1',
    );
    expect(await page.locator('.legend-item', { hasText: 'failed' }).textContent()).toBe(
      'failed 0',
    );
    const panel = page.locator('.side-panel');
    await panel.locator('h2', { hasText: 'mesh' }).waitFor();
    expect(await panel.locator('.badge.state-blocked').textContent()).toBe('blocked');
    expect(await panel.locator('.reason').textContent()).toContain(
      'blocking check aspect_ratio failed',
    );
    // The selected card is centred in what the panel leaves of the canvas: its tooltip.
    const canvas = (await page.locator('.graph-canvas').boundingBox())!;
    const side = (await panel.boundingBox())!;
    await page.mouse.move((canvas.x + side.x) / 2, canvas.y + canvas.height / 2);
    const tooltip = page.locator('.graph-tooltip');
    await tooltip.locator('strong', { hasText: 'mesh' }).waitFor();
    expect(await tooltip.textContent()).toContain('blocked 1/16');
    await screenshot(page, 'checks-02-graph');
  });

  it("keeps the blocked asset under the catalog's status facet", async () => {
    await page.goto(`${serve.url}/#/catalog?status=blocked`);
    await page.locator('.vtable[data-rows="1"]').waitFor();
    const row = page.locator('.vtable-row[data-key="mesh"]');
    expect(await row.locator('.badge.state-blocked').count()).toBe(1);
    expect(await row.textContent()).toContain('15 fresh · 1 blocked');
  });

  it("lists mesh's checks and why it is blocked, and marks each partition's verdict", async () => {
    await page.goto(`${serve.url}/#/assets/mesh`);
    await page.locator('.page-header h1 .badge.state-blocked').waitFor();
    const checks = page.locator('.checks-section');
    expect(await checks.locator('h2').textContent()).toBe('Checks (2)');
    const rows = await checks
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
    expect(rows).toEqual([
      ['aspect_ratio', 'error', 'blocking', 'no element more stretched than 10:1', 'limit-10'],
      ['element_count', 'warn', 'no', 'fine enough to resolve the stresses', '1'],
    ]);
    const why = page.locator('section', {
      has: page.locator('h2', { hasText: 'Why it is blocked' }),
    });
    expect(await why.locator('.causes li .badge.state-check').count()).toBe(1);

    // Every cell has the mark of its worst verdict: d07 the blocking failure, the others passed.
    expect(await shownCells()).toHaveLength(16);
    const d07 = page.locator('.partition-grid .cell[data-partition="d07"]');
    expect(await d07.getAttribute('class')).toContain('state-blocked');
    expect(await d07.getAttribute('data-checks')).toBe('blocking');
    expect(await d07.locator('.check-mark').textContent()).toBe('⊘');
    expect(await d07.getAttribute('aria-label')).toBe(
      'd07 blocked, 1 of 2 checks failed (blocking)',
    );
    expect(
      await page
        .locator('.partition-grid .cell')
        .evaluateAll(
          (cells) => cells.filter((c) => c.getAttribute('data-checks') === 'passed').length,
        ),
    ).toBe(15);

    // d07's details: each verdict with what it found, its metadata, version and what it judged.
    await d07.click();
    const detail = page.locator('.partition-detail');
    await detail.locator('.check-results').waitFor();
    expect(await detail.locator('.checks-heading').textContent()).toBe(
      'Checks: 1 of 2 checks failed (blocking)',
    );
    const aspect = detail.locator('.check-results li[data-check="aspect_ratio"]');
    expect(await aspect.getAttribute('data-verdict')).toBe('blocking');
    const text = await aspect.textContent();
    expect(text).toContain('failed (blocking)');
    expect(text).toContain('max aspect ratio 14.2 (limit 10)');
    expect(text).toContain('version limit-10');
    expect(text).not.toContain('outdated');
    expect(await aspect.locator('.check-metadata dt').textContent()).toBe('maxAspect');
    expect(await aspect.locator('.check-metadata dd').textContent()).toBe('14.2');
    expect(await aspect.getByRole('link', { name: `run ${runId}` }).count()).toBe(1);
    const materialization = aspect.getByRole('link', { name: /^materialization #\d+$/ });
    expect(await materialization.getAttribute('href')).toMatch(/^#\/materializations\/\d+$/);
    expect(
      await detail
        .locator('.check-results li[data-check="element_count"]')
        .getAttribute('data-verdict'),
    ).toBe('passed');
    expect(await detail.locator('.causes li[data-category="check"]').textContent()).toContain(
      'aspect_ratio failed: max aspect ratio 14.2 (limit 10)',
    );
    await screenshot(page, 'checks-03-mesh-grid');

    // Failing checks: exactly d07; then status blocked alone: exactly d07 again.
    await page.getByRole('checkbox', { name: 'failing checks' }).check();
    await expect.poll(shownCells).toEqual(['d07']);
    await page.getByRole('checkbox', { name: 'failing checks' }).uncheck();
    await expect.poll(shownCells).toHaveLength(16);
    await page
      .getByRole('combobox', { name: 'filter partitions by status' })
      .selectOption('blocked');
    await expect.poll(shownCells).toEqual(['d07']);
  });

  it('shows a warning verdict and a reader held back by the blocked partition', async () => {
    await page.goto(`${serve.url}/#/assets/solve`);
    await page.locator('.page-header h1 .badge.state-missing').waitFor();
    expect(await page.locator('.causes li').first().textContent()).toContain(
      'mesh[d07] is blocked by a failing blocking check, so it cannot be read',
    );
    expect(await page.locator('.root-causes li[data-root="mesh"] .badge').textContent()).toBe(
      'blocked',
    );
    expect(await shownCells()).toHaveLength(16);
    const d03 = page.locator('.partition-grid .cell[data-partition="d03"]');
    expect(await d03.getAttribute('data-checks')).toBe('warn');
    expect(await d03.locator('.check-mark').textContent()).toBe('!');
    // solve[d07] was never built: no verdict, no mark.
    const d07 = page.locator('.partition-grid .cell[data-partition="d07"]');
    expect(await d07.getAttribute('data-checks')).toBeNull();
    await d07.click();
    expect(await page.locator('.partition-detail .causes li').textContent()).toContain(
      'upstream blocked',
    );
    await page.getByRole('checkbox', { name: 'failing checks' }).check();
    await expect.poll(shownCells).toEqual(['d03']);
  });

  it("shows an unpartitioned asset's checks with their verdicts", async () => {
    await page.goto(`${serve.url}/#/assets/settings`);
    const checks = page.locator('.checks-section');
    await checks.waitFor();
    const row = checks.locator('tbody tr[data-check="solver_known"]');
    expect(await row.locator('td').last().textContent()).toBe('✓ passed calculix');
    const verdict = checks.locator('.check-results li[data-check="solver_known"]');
    expect(await verdict.getAttribute('data-verdict')).toBe('passed');
    expect(await verdict.getByRole('link', { name: `run ${runId}` }).count()).toBe(1);
    await screenshot(page, 'checks-04-settings');
  });

  it('logged no error in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
