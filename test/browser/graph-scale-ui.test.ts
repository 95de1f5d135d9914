// The asset graph at scale in real Chromium against a real `strata serve` of 610 assets in four
// groups (test/fixtures/browser/grouped-assets.ts): it opens collapsed to its groups with their
// counts, a click opens a group in place, Expand all/Collapse all, the keyboard steps through
// groups ([ and ]) and opens or closes one (Enter); the view is in the URL (a link
// reproduces it, back/forward walk it); Fit keeps clear of the side panel; a run's progress
// updates a group's card by delta, without fetching the graph (/api/graph) again.
import path from 'node:path';
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
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/browser/grouped-assets.ts');
let serve: ServeProcess;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

interface DrawnGroup {
  name: string;
  expanded: boolean;
  assets: number;
  summary: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

beforeAll(async () => {
  [serve, browser] = await Promise.all([
    startServe({ databaseUrl: database.url, env: { STRATA_DEFINITIONS: FIXTURE } }),
    launchChromium(),
  ]);
  page = await openPage(browser, consoleErrors);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

async function groups(on: Page = page): Promise<DrawnGroup[]> {
  return JSON.parse(
    (await on.locator('.graph-view').getAttribute('data-groups')) ?? '[]',
  ) as DrawnGroup[];
}

async function group(name: string, on: Page = page): Promise<DrawnGroup> {
  const found = (await groups(on)).find((g) => g.name === name);
  if (found === undefined) throw new Error(`no group ${name}`);
  return found;
}

/** Clicks the middle of a group's card, or of an open group's title strip. */
async function clickGroup(name: string): Promise<void> {
  const drawn = await group(name);
  const y = drawn.expanded ? drawn.y + 8 : drawn.y + drawn.height / 2;
  await page.locator('.graph-canvas').click({ position: { x: drawn.x + drawn.width / 2, y } });
}

const hashParams = (): URLSearchParams =>
  new URLSearchParams(new URL(page.url()).hash.replace(/^#\/?\??/, ''));

describe('the asset graph at scale', () => {
  it('opens collapsed to its groups, with their asset counts and states', async () => {
    await page.goto(serve.url);
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    const drawn = await groups();
    expect(drawn.map((g) => [g.name, g.expanded, g.assets, g.summary])).toEqual([
      ['clean', false, 200, '200 missing'],
      ['features', false, 150, '150 missing'],
      ['ingest', false, 200, '200 missing'],
      ['reports', false, 60, '60 missing'],
    ]);
    // No asset is drawn on its own: four cards, readable (zoom at least 0.45: cards, labels).
    expect(Number(await page.locator('.graph-canvas').getAttribute('data-drawn-nodes'))).toBe(0);
    expect(Number(await page.locator('.graph-canvas').getAttribute('data-scale'))).toBeGreaterThan(
      0.45,
    );
    await screenshot(page, 'graph-scale-01-collapsed');
  });

  it('opens a group in place on a click, and all of them at once', async () => {
    const before = await group('clean');
    await clickGroup('clean');
    await expect.poll(async () => (await group('clean')).expanded).toBe(true);
    const after = await group('clean');
    // In place: the box starts where the card was.
    expect(Math.abs(after.x - before.x)).toBeLessThan(30);
    expect(Math.abs(after.y - before.y)).toBeLessThan(2);
    expect(hashParams().get('open')).toBe('clean');
    await screenshot(page, 'graph-scale-02-one-open');
    await page.getByRole('button', { name: 'Expand all' }).click();
    await expect.poll(async () => (await groups()).every((g) => g.expanded)).toBe(true);
    expect(hashParams().get('open')).toBe('*');
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await expect.poll(async () => (await groups()).some((g) => g.expanded)).toBe(false);
    expect(hashParams().get('open')).toBe('');
  });

  it('steps through groups with [ and ] and opens or closes the one reached with Enter', async () => {
    const byPlace = (await groups()).sort((a, b) => a.x - b.x || a.y - b.y).map((g) => g.name);
    const reached = () => page.locator('.graph-view').getAttribute('data-key-group');
    await page.locator('.graph-canvas').focus();
    await page.keyboard.press(']');
    expect(await reached()).toBe(byPlace[0]);
    await page.keyboard.press(']');
    expect(await reached()).toBe(byPlace[1]);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await group(byPlace[1]!)).expanded).toBe(true);
    expect(hashParams().get('open')).toBe(byPlace[1]);
    // The box reached is ringed (solid, in the hover colour) while the keyboard is on it.
    await screenshot(page, 'graph-scale-02b-keyboard-group');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await group(byPlace[1]!)).expanded).toBe(false);
    await page.keyboard.press('[');
    await page.keyboard.press('[');
    expect(await reached()).toBe(byPlace.at(-1));
    await page.keyboard.press('Escape');
    expect(await reached()).toBeNull();
  });

  it('keeps the view in the URL: a link reproduces it, back and forward walk it', async () => {
    await page.goto(`${serve.url}/#/?open=features&asset=feature_003&z=1.2&x=600&y=300`);
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    await page.locator('.side-panel h2', { hasText: 'feature_003' }).waitFor();
    expect((await group('features')).expanded).toBe(true);
    expect((await group('clean')).expanded).toBe(false);
    expect(Number(await page.locator('.graph-canvas').getAttribute('data-scale'))).toBeCloseTo(
      1.2,
      2,
    );
    // A discrete change is a history entry: the asset searched for, its group opened.
    const search = page.getByRole('searchbox', { name: 'search assets by key' });
    await search.fill('report_007');
    await search.press('Enter');
    await page.locator('.side-panel h2', { hasText: 'report_007' }).waitFor();
    await expect.poll(() => hashParams().get('asset')).toBe('report_007');
    expect(hashParams().get('open')).toBe('features,reports');
    expect(hashParams().get('q')).toBe('report_007');
    await page.goBack();
    await page.locator('.side-panel h2', { hasText: 'feature_003' }).waitFor();
    await expect.poll(async () => (await group('reports')).expanded).toBe(false);
    await page.goForward();
    await page.locator('.side-panel h2', { hasText: 'report_007' }).waitFor();
    await expect.poll(async () => (await group('reports')).expanded).toBe(true);
    // Panning rewrites the entry in place: the centre moves, history does not grow.
    const length = Number(await page.evaluate('history.length'));
    const x = Number(hashParams().get('x'));
    const canvas = page.locator('.graph-canvas');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 300, box.y + 300);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 300 - i * 20, box.y + 300);
    await page.mouse.up();
    await expect.poll(() => Number(hashParams().get('x'))).toBeGreaterThan(x + 100);
    expect(Number(await page.evaluate('history.length'))).toBe(length);
    await screenshot(page, 'graph-scale-03-from-link');
  });

  it('fits into the area left of the side panel', async () => {
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.getByRole('button', { name: 'Fit' }).click();
    const panel = (await page.locator('.side-panel').boundingBox())!;
    const canvas = (await page.locator('.graph-canvas').boundingBox())!;
    await expect
      .poll(async () => {
        const drawn = await groups();
        return Math.max(...drawn.map((g) => canvas.x + g.x + g.width));
      })
      .toBeLessThanOrEqual(panel.x);
    for (const drawn of await groups()) {
      expect(drawn.x).toBeGreaterThanOrEqual(0);
      expect(drawn.y).toBeGreaterThanOrEqual(0);
      expect(drawn.y + drawn.height).toBeLessThanOrEqual(canvas.height);
    }
    await screenshot(page, 'graph-scale-04-fit-beside-panel');
  });

  it('at 900 px wide, "Show in graph" (?q=KEY) opens its group and centres it left of the panel', async () => {
    await page.setViewportSize({ width: 900, height: 700 });
    try {
      await page.goto(`${serve.url}/#/?q=clean_010`);
      await page.locator('.graph-view[data-ready="true"]').waitFor();
      await page.locator('.side-panel h2', { hasText: 'clean_010' }).waitFor();
      expect((await group('clean')).expanded).toBe(true);
      expect(Number(await page.locator('.graph-canvas').getAttribute('data-scale'))).toBeCloseTo(
        0.9,
        2,
      );
      // The asset is at the centre of the canvas left of the panel, which covers none of it.
      const panel = (await page.locator('.side-panel').boundingBox())!;
      const canvas = (await page.locator('.graph-canvas').boundingBox())!;
      // The view is written to the URL once it has been still for a moment.
      await expect.poll(() => hashParams().get('asset')).toBe('clean_010');
      await expect.poll(() => hashParams().get('z')).not.toBeNull();
      const scale = Number(hashParams().get('z'));
      const drawn = await group('clean');
      // The centre the URL names is the middle of the uncovered area; the card (190 wide at
      // zoom 0.9) around it stays left of the panel.
      const centreX = canvas.x + (panel.x - 20 - canvas.x) / 2;
      await screenshot(page, 'graph-scale-06-show-in-graph-900px');
      expect(centreX + (190 * scale) / 2).toBeLessThan(panel.x);
      expect(drawn.x + canvas.x).toBeLessThan(centreX);
      expect(panel.width).toBeLessThanOrEqual(900 * 0.4 + 1);
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });

  it("updates a group's card by delta while a run progresses, without refetching the graph", async () => {
    await page.goto(`${serve.url}/#/`);
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    await expect.poll(() => page.locator('.live-indicator').textContent()).toBe('live');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    const response = await fetch(`${serve.url}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ selection: 'raw_000' }),
    });
    expect(response.status).toBeLessThan(300);
    await expect
      .poll(async () => (await group('ingest')).summary, { timeout: 30_000 })
      .toBe('199 missing · 1 fresh');
    expect(requests.filter((p) => p === '/api/assets' || p === '/api/graph')).toEqual([]);
    expect(requests.filter((p) => p === '/api/asset-statuses').length).toBeGreaterThan(0);
    await screenshot(page, 'graph-scale-05-delta');
  });

  it('logged no error in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
