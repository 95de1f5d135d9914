// Failures in the lineage browser: a run with a retried step, a step that fails for good and a
// step skipped because of it. The run page shows each attempt as its own bar, the error of the
// failed step and a Resume button; the graph shows the failed asset in red.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../cli/cli-harness.js';
import { useTestDatabase } from '../support/database.js';
import { launchChromium, screenshot, startServe, type ServeProcess } from './browser-harness.js';

const database = useTestDatabase();
let serve: ServeProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [serve, browser] = await Promise.all([
    startServe({
      databaseUrl: database.url,
      env: { STRATA_DEFINITIONS: `${REPO_ROOT}test/fixtures/browser/failing-assets.ts` },
    }),
    launchChromium(),
  ]);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** The Gantt row of an asset. */
const row = (key: string) => page.locator('.gantt .gantt-row', { hasText: key });

describe('failures in the lineage browser', () => {
  it('shows retries, the failure, the skip and its error on the run page', async () => {
    await page.goto(serve.url);
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Materialize', exact: true }).first().click();
    await page.waitForURL(/#\/runs\/\d+$/);
    await page
      .locator('.page-header h1 .badge', { hasText: 'failed' })
      .waitFor({ timeout: 30_000 });

    // flaky: a failed attempt, the wait before its retry, then a successful one.
    expect(await row('flaky').locator('.bar.attempt-failed').count()).toBe(1);
    expect(await row('flaky').locator('.bar.attempt-succeeded').count()).toBe(1);
    expect(await row('flaky').locator('.retry-wait').count()).toBe(1);
    // broken: two failed attempts; report: skipped, no attempt at all.
    expect(await row('broken').locator('.bar.attempt-failed').count()).toBe(2);
    expect(await row('report').getAttribute('class')).toContain('step-skipped');
    expect(await row('report').locator('.bar').count()).toBe(0);

    await row('broken').click();
    const detail = page.locator('.step-detail');
    await detail.locator('h3', { hasText: 'broken' }).waitFor();
    expect(await detail.textContent()).toContain('mesh has inverted elements at node 17');
    expect(await detail.locator('tbody tr').count()).toBe(2); // its two attempts
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await screenshot(page, '09-run-failed');
  });

  it('colours the failed asset in the graph and on its page', async () => {
    await page.getByRole('link', { name: 'Assets' }).click();
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    const count = async (state: string): Promise<number> =>
      Number(
        /(\d+)$/.exec(
          (await page.locator('.legend-item', { hasText: state }).textContent()) ?? '',
        )?.[1],
      );
    await expect.poll(() => count('failed')).toBe(1);
    expect(await count('fresh')).toBe(2); // raw, and flaky after its retry
    expect(await count('missing')).toBe(1); // report, skipped
    await page.goto(`${serve.url}/#/assets/broken`);
    await page.locator('.page-header h1 .badge', { hasText: 'failed' }).waitFor();
    await screenshot(page, '10-asset-failed');
  });
});
