// The asset and materialization pages in real Chromium against a real `strata serve` of the
// engineering example (its mesh settings read from a copy, test/fixtures/browser/
// mesh-settings-study.ts; automation off so nothing rebuilds behind the test): metadata plotted
// per partition with the keys on the x axis and over time, a one-point time axis a few minutes
// wide, tooltips inside the chart, the Pareto plot previewed inline on the asset and
// materialization pages, the lineage starting 2 levels each way around the highlighted
// materialization and expanding on demand, the partitions grid as a launchpad (labelled cells,
// selection, a run of exactly the selected partitions), and after the mesh settings changed,
// the 16 stale mesh partitions shown as one grouped root cause. Then 60 load cases and their
// envelope (test/fixtures/browser/many-roots.ts): 60 partitions plotted with thinned, slanted
// keys, and after their code changed, the 50 root causes the API lists in one line and the 10 it
// left out counted. Screenshots of each are kept.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetDetail, RunDetail } from '../../lineage/src/api/types.js';
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
/** The database of the second server (test/fixtures/browser/many-roots.ts). */
const rootsDatabase = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/browser/mesh-settings-study.ts');
const ROOTS_FIXTURE = path.join(REPO_ROOT, 'test/fixtures/browser/many-roots.ts');
/** The example's design points, d01 to d16. */
const DESIGNS = Array.from({ length: 16 }, (_, i) => `d${String(i + 1).padStart(2, '0')}`);
/** Tests that wait for a run of the study (84 steps) to finish. */
const RUN_TIMEOUT_MS = 180_000;
/** Tests that restart the server. */
const RESTART_TIMEOUT_MS = 90_000;
/** The load cases of many-roots.ts, c01 to c60. */
const CASES = Array.from({ length: 60 }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let home: string;
let meshSettings: string;
const consoleErrors: string[] = [];

function startStudy(): Promise<ServeProcess> {
  return startServe({
    databaseUrl: database.url,
    args: ['--no-automation'],
    env: {
      STRATA_DEFINITIONS: FIXTURE,
      STRATA_TEST_MESH_SETTINGS: meshSettings,
      STRATA_HOME: path.join(home, 'strata'),
    },
  });
}

/** Serves many-roots.ts with the load cases' code version `code`. */
function startRoots(code: string): Promise<ServeProcess> {
  return startServe({
    databaseUrl: rootsDatabase.url,
    args: ['--no-automation'],
    env: {
      STRATA_DEFINITIONS: ROOTS_FIXTURE,
      STRATA_TEST_CASE_CODE: code,
      STRATA_HOME: path.join(home, 'strata-roots'),
    },
  });
}

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'strata-asset-pages-'));
  meshSettings = path.join(home, 'mesh-settings.json');
  copyFileSync(path.join(REPO_ROOT, 'assets/mesh-settings.json'), meshSettings);
  [serve, browser] = await Promise.all([startStudy(), launchChromium()]);
  page = await openPage(browser, consoleErrors);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

async function api<T>(route: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${serve.url}${route}`, init);
  expect(response.status, `${route}: ${await response.clone().text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** Opens run `id`'s page and waits for it to succeed. */
async function awaitRunSucceeded(id: number): Promise<void> {
  if (!page.url().endsWith(`#/runs/${id}`)) await page.goto(`${serve.url}/#/runs/${id}`);
  await page
    .locator('.page-header h1 .badge', { hasText: 'succeeded' })
    .waitFor({ timeout: RUN_TIMEOUT_MS - 10_000 });
}

/** Resolves once `img` has loaded (or rejects when it failed), then its natural width. */
function naturalWidth(img: Locator): Promise<number> {
  return img.evaluate(
    (element) =>
      new Promise<number>((resolve, reject) => {
        const image = element as unknown as {
          complete: boolean;
          naturalWidth: number;
          addEventListener(type: string, listener: () => void, options: object): void;
        };
        const done = (): void =>
          image.naturalWidth > 0 ? resolve(image.naturalWidth) : reject(new Error('broken'));
        if (image.complete) done();
        else {
          image.addEventListener('load', done, { once: true });
          image.addEventListener('error', () => reject(new Error('load failed')), {
            once: true,
          });
        }
      }),
  );
}

/** Whether box `inner` lies within box `outer` (a pixel of rounding allowed). */
function inside(
  inner: { x: number; y: number; width: number; height: number },
  outer: { x: number; y: number; width: number; height: number },
): boolean {
  return (
    inner.x >= outer.x - 1 &&
    inner.y >= outer.y - 1 &&
    inner.x + inner.width <= outer.x + outer.width + 1 &&
    inner.y + inner.height <= outer.y + outer.height + 1
  );
}

describe('the asset and materialization pages', () => {
  it(
    'materializes the example study',
    async () => {
      const launched = await api<{ runId: number }>('/api/runs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      await awaitRunSucceeded(launched.runId);
    },
    RUN_TIMEOUT_MS,
  );

  it('plots metadata per partition, the keys on the x axis, and over time on demand', async () => {
    await page.goto(`${serve.url}/#/assets/metrics`);
    const chart = page.locator('figure.chart[data-field="mass_kg"]');
    await chart.waitFor();
    expect(await chart.getAttribute('data-mode')).toBe('partition');
    const points = chart.locator('circle.point');
    expect(await points.count()).toBe(16);
    const pointKeys = await points.evaluateAll((dots) =>
      dots.map((dot) => dot.getAttribute('data-partition')),
    );
    expect(pointKeys.sort()).toEqual(DESIGNS);
    expect(await chart.locator('text.x-tick').allTextContents()).toEqual(DESIGNS);
    // One point per partition, each over its own key's label.
    const tickX = await chart
      .locator('text.x-tick')
      .evaluateAll((ticks) => ticks.map((t) => Number(t.getAttribute('x'))));
    const pointX = await points.evaluateAll((dots) =>
      Object.fromEntries(
        dots.map((d) => [d.getAttribute('data-partition'), Number(d.getAttribute('cx'))]),
      ),
    );
    expect(DESIGNS.map((key) => pointX[key])).toEqual(tickX);

    // The tooltip of the rightmost point stays inside the chart, and off the point.
    const last = points.and(page.locator('[data-partition="d16"]'));
    await last.hover();
    const tooltip = chart.locator('.chart-tooltip:not([hidden])');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toMatch(/^d16: /);
    const tip = (await tooltip.boundingBox())!;
    const dot = (await last.boundingBox())!;
    expect(inside(tip, (await chart.locator('.chart-body').boundingBox())!)).toBe(true);
    expect(
      tip.y + tip.height <= dot.y || tip.y >= dot.y + dot.height,
      JSON.stringify({ tip, dot }),
    ).toBe(true);
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, 'asset-pages-01-metrics-per-partition');

    await page.getByRole('radio', { name: 'over time' }).click();
    const overTime = page.locator('figure.chart[data-field="mass_kg"][data-mode="time"]');
    await overTime.waitFor();
    expect(await overTime.locator('circle.point').count()).toBe(16);
    expect(await overTime.locator('svg').getAttribute('aria-label')).toBe('mass_kg over time');
  });

  it('gives a one-point time axis a window of minutes around the point', async () => {
    await page.goto(`${serve.url}/#/assets/pareto_front`);
    const chart = page.locator('figure.chart[data-field="front_size"]');
    await chart.waitFor();
    expect(await chart.getAttribute('data-mode')).toBe('time');
    expect(await page.getByRole('radio', { name: 'over time' }).count()).toBe(0); // unpartitioned
    const svg = chart.locator('svg');
    const start = Number(await svg.getAttribute('data-x-start'));
    const end = Number(await svg.getAttribute('data-x-end'));
    expect(end - start).toBeGreaterThan(0);
    expect(end - start).toBeLessThanOrEqual(15 * 60_000);
    const [history] = (
      await api<{ items: { finishedAt: string }[] }>('/api/assets/pareto_front/materializations')
    ).items;
    const at = Date.parse(history!.finishedAt);
    expect(at).toBeGreaterThan(start);
    expect(at).toBeLessThan(end);
    // Clock times, not dates months apart.
    const labels = await chart.locator('text.x-tick').allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label).toMatch(/^\d{1,2}:\d{2}$/);
  });

  it("previews the Pareto plot and the latest value on pareto_front's page", async () => {
    const latest = page.locator('[data-section="Latest"]');
    const img = latest.locator('.artifact-preview img');
    await img.waitFor();
    expect(await naturalWidth(img)).toBeGreaterThan(0);
    expect(await img.getAttribute('src')).toMatch(/^\/api\/artifacts\/[0-9a-f]{64}$/);
    // The endpoint serves it as SVG under a sandbox: no script of it can run.
    const response = await fetch(`${serve.url}${await img.getAttribute('src')}`);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const value = JSON.parse((await latest.locator('pre.value').textContent())!) as {
      front: unknown[];
      recommended: string | null;
    };
    expect(value.front.length).toBeGreaterThan(0);
    expect(value).toHaveProperty('recommended');
    await latest.scrollIntoViewIfNeeded();
    await screenshot(page, 'asset-pages-02-pareto-preview');
  });

  it('shows the lineage 2 levels each way around the materialization, expanding on demand', async () => {
    await page.locator('[data-section="Latest"] h2 a').click();
    await page.waitForURL(/#\/materializations\/\d+$/);
    const preview = page.locator('[data-section="Artifacts"] .artifact-preview img');
    await preview.waitFor();
    expect(await naturalWidth(preview)).toBeGreaterThan(0);
    expect(await page.locator('[data-section="Value"] pre.value').textContent()).toContain(
      '"recommended"',
    );

    const section = page.locator('[data-section="Lineage"]');
    const dag = section.locator('svg.lineage-dag');
    await dag.waitFor();
    // Two levels up: metrics, then fea_run and design_point (the design space is a direct input).
    expect(await section.getAttribute('data-depth-up')).toBe('2');
    expect(await section.getAttribute('data-depth-down')).toBe('2');
    let labels = await dag.locator('.dag-label').allTextContents();
    expect(labels.filter((l) => l.startsWith('metrics[')).length).toBe(16);
    expect(labels.filter((l) => l.startsWith('fea_run[')).length).toBe(16);
    expect(labels.filter((l) => l.startsWith('mesh[')).length).toBe(0);
    // The focus is highlighted and scrolled into the graph's box.
    const focus = dag.locator('.dag-node.root');
    expect(await focus.count()).toBe(1);
    expect(await focus.getAttribute('aria-current')).toBe('true');
    expect(await focus.locator('.dag-label').textContent()).toBe('pareto_front');
    expect(
      inside((await focus.boundingBox())!, (await page.locator('.dag-wrap').boundingBox())!),
    ).toBe(true);
    await screenshot(page, 'asset-pages-03-materialization-lineage');

    const side = page.locator('.lineage-side[data-direction="upstream"]');
    // What the third level holds: the 16 meshes, and the inputs of the designs' points and runs.
    const id = /#\/materializations\/(\d+)$/.exec(page.url())![1];
    const levels = await Promise.all(
      [2, 3].map((depth) =>
        api<{ nodes: unknown[] }>(`/api/materializations/${id}/lineage?depth=${depth}`),
      ),
    );
    const third = levels[1]!.nodes.length - levels[0]!.nodes.length;
    expect(third).toBeGreaterThanOrEqual(16);
    expect(await side.textContent()).toContain(`(${third} more at the next level)`);
    await page.getByRole('button', { name: 'Expand upstream' }).click();
    await page.locator('[data-section="Lineage"][data-depth-up="3"] svg').waitFor();
    labels = await page.locator('svg.lineage-dag .dag-label').allTextContents();
    expect(labels.filter((l) => l.startsWith('mesh[')).length).toBe(16);
    await page.getByRole('button', { name: 'Show all levels' }).click();
    await page.locator('[data-section="Lineage"][data-depth-up="all"] svg').waitFor();
    labels = await page.locator('svg.lineage-dag .dag-label').allTextContents();
    expect(labels.filter((l) => l.startsWith('cad_revision[')).length).toBe(16);
    expect(labels).toContain('design_space');
    expect(await page.getByRole('button', { name: 'Expand upstream' }).count()).toBe(0);
  });

  it(
    'launches a run of exactly the partitions selected in the grid',
    async () => {
      await page.goto(`${serve.url}/#/assets/metrics`);
      const grid = page.locator('.partition-grid.labelled');
      await grid.locator('.cell').nth(15).waitFor();
      expect(await grid.locator('.cell').allTextContents()).toEqual(DESIGNS);
      expect(await page.locator('.partition-range').allTextContents()).toEqual([
        'fresh d01..d16 (16)',
      ]);
      const cell = (key: string) => grid.locator(`.cell[data-partition="${key}"]`);
      const launch = page.locator('.launch-bar button.primary');
      expect(await launch.isDisabled()).toBe(true);
      expect(await launch.textContent()).toBe('Materialize selected');
      // A Shift-click selects a range from the last clicked cell.
      await cell('d10').click();
      await cell('d12').click({ modifiers: ['Shift'] });
      expect(await grid.locator('.cell[aria-pressed="true"]').count()).toBe(3);
      expect(await launch.textContent()).toBe('Materialize 3 partitions');
      // A plain click selects one alone; Ctrl-click adds another.
      await cell('d03').click();
      await cell('d07').click({ modifiers: ['Control'] });
      const selected = await grid
        .locator('.cell[aria-pressed="true"]')
        .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-partition')));
      expect(selected).toEqual(['d03', 'd07']);
      expect(await launch.textContent()).toBe('Materialize 2 partitions');
      await grid.scrollIntoViewIfNeeded();
      await screenshot(page, 'asset-pages-04-grid-selected');

      await launch.click();
      await page.waitForURL(/#\/runs\/\d+$/);
      const runId = Number(/#\/runs\/(\d+)$/.exec(page.url())![1]);
      const run = await api<RunDetail>(`/api/runs/${runId}`);
      expect(run.selection).toBe('metrics[d03,d07]');
      expect(run.steps.map((step) => `${step.key}[${step.partition}]`).sort()).toEqual([
        'metrics[d03]',
        'metrics[d07]',
      ]);
      await awaitRunSucceeded(runId);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'groups the root causes of 16 partitions stale for one reason into one line',
    async () => {
      await page.goto('about:blank'); // the page's live stream would see the server go
      await serve.stop();
      const settings = JSON.parse(readFileSync(meshSettings, 'utf8')) as Record<string, number>;
      writeFileSync(
        meshSettings,
        JSON.stringify({
          ...settings,
          elements_through_height: settings.elements_through_height! + 1,
        }),
      );
      serve = await startStudy();
      const asset = await api<AssetDetail>('/api/assets/pareto_front');
      const meshRoots = asset.rootCauses.filter((root) => root.key === 'mesh');
      expect(meshRoots.map((root) => root.partition).sort()).toEqual(DESIGNS);
      expect(asset.rootCausesOmitted).toBe(0);

      await page.goto(`${serve.url}/#/assets/pareto_front`);
      const group = page.locator('.root-causes li[data-root="mesh"]');
      await group.waitFor();
      expect(await group.count()).toBe(1);
      expect(await group.getAttribute('data-partitions')).toBe('16');
      const summary = group.locator('summary');
      const text = (await summary.textContent())!;
      expect(text).toContain('mesh[d01..d16]');
      expect(text).toContain(meshRoots[0]!.causes[0]!.reason);
      expect(text).toContain('(16 partitions)');
      expect(await page.locator('.root-causes-omitted').count()).toBe(0);
      const list = group.locator('.root-partitions li');
      expect(await list.first().isVisible()).toBe(false);
      await summary.click();
      expect(await list.allTextContents()).toEqual(DESIGNS.map((key) => `mesh[${key}]`));
      await group.scrollIntoViewIfNeeded();
      await screenshot(page, 'asset-pages-05-grouped-root-causes');
    },
    RESTART_TIMEOUT_MS,
  );
});

describe('an asset with more root causes than the API lists', () => {
  beforeAll(async () => {
    await page.goto('about:blank');
    await serve.stop();
    serve = await startRoots('1');
  }, 60_000);

  it(
    'plots 60 partitions with their keys slanted and thinned on the x axis',
    async () => {
      const launched = await api<{ runId: number }>('/api/runs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      await awaitRunSucceeded(launched.runId);
      await page.goto(`${serve.url}/#/assets/load_case`);
      const chart = page.locator('figure.chart[data-field="load_kn"][data-mode="partition"]');
      await chart.waitFor();
      const points = await chart
        .locator('circle.point')
        .evaluateAll((dots) => dots.map((d) => d.getAttribute('data-partition')));
      expect(points.sort()).toEqual(CASES);
      const ticks = chart.locator('text.x-tick');
      const labels = await ticks.allTextContents();
      expect(labels.length).toBeGreaterThan(1);
      expect(labels.length).toBeLessThan(CASES.length);
      expect(labels[0]).toBe('c01');
      // Every k-th key, in order.
      const every = CASES.indexOf(labels[1]!);
      expect(labels).toEqual(CASES.filter((_, i) => i % every === 0));
      expect(await ticks.first().getAttribute('transform')).toMatch(/^rotate\(-45 /);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'groups the 50 root causes listed and says 10 more were left out',
    async () => {
      await page.goto('about:blank');
      await serve.stop();
      serve = await startRoots('2');
      const asset = await api<AssetDetail>('/api/assets/envelope');
      expect(asset.rootCauses).toHaveLength(50);
      expect(asset.rootCausesOmitted).toBe(10);

      await page.goto(`${serve.url}/#/assets/load_case`);
      const stale = page.locator('.partition-range[data-state="stale"]');
      await stale.waitFor();
      expect(await stale.textContent()).toBe('stale c01..c60 (60)');
      expect(await page.locator('.partition-range').count()).toBe(1);

      await page.goto(`${serve.url}/#/assets/envelope`);
      const group = page.locator('.root-causes li[data-root="load_case"]');
      await group.waitFor();
      expect(await page.locator('.root-causes > ul > li').count()).toBe(1);
      expect(await group.getAttribute('data-partitions')).toBe('50');
      const summary = (await group.locator('summary').textContent())!;
      expect(summary).toContain('load_case[c01..c50]');
      expect(summary).toContain('code version changed from 1 to 2');
      expect(summary).toContain('(50 partitions)');
      expect(await page.locator('.root-causes-omitted').textContent()).toBe(
        'and 10 more root causes',
      );
      await group.scrollIntoViewIfNeeded();
      await screenshot(page, 'asset-pages-06-root-causes-omitted');
    },
    RESTART_TIMEOUT_MS,
  );

  it('logged no error in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
