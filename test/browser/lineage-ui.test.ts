// The lineage browser in real Chromium against a real `strata serve` of the engineering
// example: the graph of a new project, a materialization launched from the UI and followed live
// to its end, the graph turned fresh, an asset's history and plots, a materialization's
// provenance with its artifact and its tool calls' arguments, and the runs list. Screenshots of
// each page are kept.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../executor/helpers.js';
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
const consoleErrors: string[] = [];

/** Assets of the engineering example and their partition counts. */
const STUDY_ASSETS = [
  'material_properties',
  'design_space',
  'designs',
  'design_point',
  'cad_revision',
  'mesh',
  'fea_run',
  'metrics',
  'pareto_front',
  'plan_pareto_front',
];

beforeAll(async () => {
  [serve, browser] = await Promise.all([
    startServe({ databaseUrl: database.url }),
    launchChromium(),
  ]);
  page = await openPage(browser, consoleErrors);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** The count the legend shows for a state. */
async function legendCount(state: string, on: Page = page): Promise<number> {
  const text = await on.locator('.legend-item', { hasText: state }).textContent();
  return Number(/(\d+)$/.exec(text ?? '')?.[1] ?? Number.NaN);
}

describe('the lineage browser on the engineering example', () => {
  it('draws the asset graph of a new project, every asset missing', async () => {
    // The server's automation daemon observes the source asset (material_properties) at once.
    await waitFor('the first automation tick', async () => {
      const response = await fetch(`${serve.url}/api/automation/ticks?limit=1`);
      const { items } = (await response.json()) as { items: { status: string }[] };
      return items[0]?.status === 'succeeded' ? true : undefined;
    });
    await page.goto(serve.url);
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    // Four assets are missing (designs and plan_pareto_front have the baseline partition); the
    // five per-design assets have no partitions until `designs` runs; the material properties
    // are observed.
    expect(await legendCount('missing')).toBe(4);
    expect(await legendCount('empty')).toBe(5);
    expect(await legendCount('fresh')).toBe(1);
    expect(Number(await page.locator('.graph-canvas').getAttribute('data-drawn-nodes'))).toBe(
      STUDY_ASSETS.length,
    );
    // Per-design assets take their partitions from `designs`: dashed edges, explained in the
    // legend; edges spanning several columns are drawn around the cards in between.
    expect(await page.locator('.legend-edge').textContent()).toBe(
      'dashed: partition mapping (the upstream lists the partitions)',
    );
    expect(await page.locator('.legend-edge').getAttribute('title')).toMatch(/^\d+ dashed edges?:/);
    expect(
      Number(await page.locator('.graph-canvas').getAttribute('data-routed-edges')),
    ).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.live-indicator').textContent()).toBe('live');
    await screenshot(page, '01-graph-missing');
  });

  it('launches a materialization and follows the run live to its end', async () => {
    // A second window stays on the graph: it must follow the run without a reload.
    const watcher = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await watcher.goto(serve.url);
    await watcher.locator('.graph-view[data-ready="true"]').waitFor();
    await expect.poll(() => watcher.locator('.live-indicator').textContent()).toBe('live');
    // Checked from now on, while the run goes (awaited once it has ended).
    const sawRunning = waitFor(
      'an asset drawn as running',
      async () => ((await legendCount('running', watcher)) > 0 ? true : undefined),
      { timeoutMs: 30_000 },
    );
    sawRunning.catch(() => undefined); // a rejection surfaces where it is awaited
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Materialize', exact: true }).first().click();
    await page.waitForURL(/#\/runs\/\d+$/);
    const badge = page.locator('.page-header h1 .badge');
    await badge.filter({ hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
    const rows = page.locator('.gantt .gantt-row');
    // 1 design_space + 1 designs + 16 × (design_point, cad_revision, mesh, fea_run, metrics)
    // + 1 pareto_front + 1 plan_pareto_front
    expect(await rows.count()).toBe(4 + 16 * 5);
    expect(await page.locator('.gantt .bar.attempt-succeeded').count()).toBe(4 + 16 * 5);
    expect(await page.locator('.progress-text').first().textContent()).toBe('84/84');
    await page.locator('.log li', { hasText: 'pareto_front' }).first().waitFor();
    await screenshot(page, '02-run-succeeded');
    await sawRunning; // some asset was drawn as running while the run went on
    await expect
      .poll(() => legendCount('fresh', watcher), { timeout: 10_000 })
      .toBe(STUDY_ASSETS.length);
    await watcher.close();
  });

  it('shows the graph fresh and selects an asset with a real click on the canvas', async () => {
    await page.getByRole('link', { name: 'Assets' }).click();
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    await expect.poll(() => legendCount('fresh')).toBe(STUDY_ASSETS.length);
    const search = page.getByRole('searchbox', { name: 'search assets by key' });
    await search.fill('pareto');
    await search.press('Enter');
    await page.locator('.side-panel h2', { hasText: 'pareto_front' }).waitFor();
    await page.keyboard.press('Escape');
    // The selected node is centred in the area the panel leaves uncovered: click it there as a
    // person would.
    await page.locator('.graph-canvas').click({ position: await uncoveredCentre() });
    await page.locator('.side-panel h2', { hasText: 'pareto_front' }).waitFor();
    expect(await page.locator('.side-panel').textContent()).toContain('Depends on (2)');
    await screenshot(page, '03-graph-selected');
  });

  it('selects with the CLI selection syntax, and names the column of a mistake', async () => {
    const input = page.getByRole('textbox', { name: 'selection expression' });
    await input.fill('+metrics');
    await input.press('Enter');
    // metrics and its upstream: design_space, designs, design_point, cad_revision, mesh,
    // material_properties and fea_run
    await page.locator('.selection-note', { hasText: '8 asset(s) selected' }).waitFor();
    await input.fill('metrics, +nope');
    await input.press('Enter');
    const note = page.locator('.selection-note.error');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/column 10.*nope/s);
    await screenshot(page, '03b-selection-error');
  });

  it('opens an asset with its history and a plot of each numeric metadata field', async () => {
    await page.goto(`${serve.url}/#/assets/metrics`);
    await page.locator('table.history tbody tr').first().waitFor();
    expect(await page.locator('table.history tbody tr').count()).toBe(16);
    const fields = await Promise.all(
      (await page.locator('figure.chart').all()).map((figure) => figure.getAttribute('data-field')),
    );
    expect(fields.sort()).toEqual([
      'mass_kg',
      'max_von_mises_mpa',
      'safety_factor',
      'tip_deflection_mm',
    ]);
    expect(await page.locator('figure[data-field="mass_kg"] circle.point').count()).toBe(16);
    expect(await page.locator('.partition-grid .cell.state-fresh').count()).toBe(16);
    await screenshot(page, '04-asset-metrics');
  });

  it("opens a materialization's provenance: lineage graph, tool calls and artifacts", async () => {
    await page.goto(`${serve.url}/#/assets/pareto_front`);
    await page.locator('table.history tbody tr a').first().click();
    await page.waitForURL(/#\/materializations\/\d+$/);
    await page.locator('svg.lineage-dag').waitFor();
    // Built from 16 metrics and the design space, down to the design space through every design
    // (the graph opens 2 levels deep: all of them on demand).
    await page.getByRole('button', { name: 'Show all levels' }).click();
    await page.locator('[data-section="Lineage"][data-depth-up="all"] svg.lineage-dag').waitFor();
    const labels = await page.locator('svg.lineage-dag .dag-label').allTextContents();
    expect(labels.filter((l) => l.startsWith('metrics[')).length).toBe(16);
    expect(labels.filter((l) => l.startsWith('cad_revision[')).length).toBe(16);
    expect(labels).toContain('design_space');
    const artifact = page.locator('[data-section="Artifacts"] a', { hasText: 'open' }).first();
    const href = await artifact.getAttribute('href');
    const download = await page.request.get(`${serve.url}${href}`);
    expect(download.headers()['content-type']).toBe('image/svg+xml');
    expect(await download.text()).toMatch(/<svg[\s>]/);
    await screenshot(page, '05-materialization-provenance');

    // A design's FEA run lists its solver call.
    await page.locator('svg.lineage-dag .dag-node', { hasText: 'fea_run[' }).first().click();
    await page.locator('[data-section="Tool calls"] td', { hasText: 'solve' }).first().waitFor();
    await screenshot(page, '06-fea-run-tool-calls');
  });

  it("shows a tool call's arguments as collapsible JSON, its hash copyable", async () => {
    const calls = page.locator('[data-section="Tool calls"]');
    const recorded = calls.locator('details[data-arguments="recorded"]');
    await recorded.waitFor();
    // Folded: the summary previews the canonical arguments on one line.
    expect(await recorded.locator('summary').textContent()).toMatch(/^\{"material":\{/);
    expect(await calls.locator('pre.json-tree').isVisible()).toBe(false);
    await recorded.locator('summary').click();
    const pretty = (await calls.locator('pre.json-tree').textContent())!;
    expect(pretty).toContain('"tip_load_n": ');
    expect(pretty).toMatch(/^\{\n {2}"material": \{\n {4}"/);
    const hash = (await calls.locator('.argument-hash').getAttribute('data-hash'))!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await calls.locator('.argument-hash').textContent()).toBe(hash.slice(0, 12));
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: serve.url,
    });
    await calls.getByRole('button', { name: 'copy the argument hash' }).click();
    await calls
      .getByRole('button', { name: 'copy the argument hash' })
      .filter({ hasText: 'copied' })
      .waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(hash);
    await screenshot(page, '06b-tool-call-arguments');

    // Long values folded; calls recorded before arguments were kept, and arguments too large to
    // keep, still render.
    const id = Number(/#\/materializations\/(\d+)$/.exec(page.url())![1]);
    const row = (tool: string, args: unknown) => ({
      attempt_id: 0,
      materialization_id: id,
      server: 'solver',
      tool,
      argument_hash: `${tool}`.padEnd(64, '0'),
      arguments: args === null ? null : JSON.stringify(args),
      idempotency_key: `${tool}-key`,
      status: 'succeeded' as const,
      started_at: new Date(),
      duration_ms: 5,
    });
    await database.db
      .insertInto('strata_internal.tool_calls')
      .values([
        row('refine', { note: 'n'.repeat(500), levels: Array.from({ length: 30 }, (_, i) => i) }),
        row('legacy', null),
        row('huge', {
          $strata: 'truncated',
          bytes: 300_000,
          maxBytes: 65_536,
          argumentHash: 'huge'.padEnd(64, '0'),
          keys: ['blob', 'x'],
        }),
      ])
      .execute();
    await page.reload();
    const refine = page.locator('[data-section="Tool calls"] tr', { hasText: 'refine' });
    await refine.locator('summary').click();
    const tree = refine.locator('pre.json-tree');
    expect(await tree.textContent()).not.toContain('n'.repeat(161));
    await tree.getByRole('button', { name: '… 340 more characters' }).click();
    expect(await tree.textContent()).toContain(`"${'n'.repeat(500)}"`);
    await tree.getByRole('button', { name: '… 10 more items' }).click();
    expect(await tree.textContent()).toContain('29\n  ]');
    expect(
      await page
        .locator('[data-section="Tool calls"] tr', { hasText: 'legacy' })
        .locator('[data-arguments="not-recorded"]')
        .textContent(),
    ).toMatch(/^Arguments not recorded/);
    expect(
      await page
        .locator('[data-section="Tool calls"] tr', { hasText: 'huge' })
        .locator('[data-arguments="truncated"]')
        .textContent(),
    ).toBe('Arguments not kept: 293 KiB, over the 64 KiB provenance keeps; keys blob, x.');
    await screenshot(page, '06c-tool-call-arguments-folded');
  });

  it('lists the run on the runs page', async () => {
    await page.getByRole('link', { name: 'Runs' }).click();
    const row = page.locator('table.runs tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().locator('.badge').textContent()).toBe('succeeded');
    await screenshot(page, '07-runs');
  });

  it('logged no error in the browser console but the 400 the selection test provoked', () => {
    const provoked = /status of 400/;
    expect(consoleErrors.filter((message) => !provoked.test(message))).toEqual([]);
    expect(consoleErrors.filter((message) => provoked.test(message))).toHaveLength(1);
  });
});

/** The middle of the area the side panel leaves uncovered (the page keeps its width + 20 px). */
async function uncoveredCentre(): Promise<{ x: number; y: number }> {
  const box = await page.locator('.graph-canvas').boundingBox();
  if (box === null) throw new Error('the graph canvas is not visible');
  const panel = page.locator('.side-panel');
  const covered = (await panel.isVisible()) ? (await panel.boundingBox())!.width + 20 : 0;
  return { x: (box.width - covered) / 2, y: box.height / 2 };
}
