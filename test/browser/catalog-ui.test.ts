// The asset catalog and the global search in real Chromium against a real `strata serve` of the
// engineering example: sorting by a column header, filtering by the selection syntax and by a
// facet, the view in the URL (a link reproduces it; back/forward step through it in place), only
// the rows in view drawn, "Materialize N assets" launching one run of exactly the assets shown,
// and Ctrl-K finding an asset and a run and opening them with the keyboard.
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
/** The run launched from the catalog. */
let runId: number;

interface Node {
  key: string;
  status: { state: string; total: number };
}

beforeAll(async () => {
  [serve, browser] = await Promise.all([
    startServe({ databaseUrl: database.url }),
    launchChromium(),
  ]);
  page = await openPage(browser, consoleErrors);
  // The automation daemon observes the source asset at once: wait, so statuses hold still.
  await waitFor('the first automation tick', async () => {
    const response = await fetch(`${serve.url}/api/automation/ticks?limit=1`);
    const { items } = (await response.json()) as { items: { status: string }[] };
    return items[0]?.status === 'succeeded' ? true : undefined;
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${serve.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

/** The keys of the rows drawn, top to bottom. */
async function shownKeys(on: Page = page): Promise<string[]> {
  return on
    .locator('.vtable-row')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key') ?? ''));
}

/** Waits until the table holds `count` rows. */
async function rowsToBe(count: number, on: Page = page): Promise<void> {
  await on.locator(`.vtable[data-rows="${count}"]`).waitFor({ timeout: 10_000 });
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('the asset catalog', () => {
  it('lists every asset sorted by key, and sorts by a column header both ways', async () => {
    const { nodes } = await api<{ nodes: Node[] }>('/api/assets');
    await page.goto(`${serve.url}/#/catalog`);
    await rowsToBe(nodes.length);
    expect(await shownKeys()).toEqual(nodes.map((n) => n.key).sort(byKey));
    expect(await page.getByRole('link', { name: 'Catalog' }).getAttribute('class')).toBe('active');

    const byPartitions = [...nodes]
      .sort((a, b) => a.status.total - b.status.total || byKey(a.key, b.key))
      .map((n) => n.key);
    await page.getByRole('button', { name: 'Partitions', exact: true }).click();
    await page.waitForURL(/#\/catalog\?sort=partitions$/);
    expect(await shownKeys()).toEqual(byPartitions);
    const header = page.getByRole('columnheader', { name: 'Partitions' });
    expect(await header.getAttribute('aria-sort')).toBe('ascending');

    await page.getByRole('button', { name: 'Partitions', exact: true }).click();
    await page.waitForURL(/#\/catalog\?sort=-partitions$/);
    expect(await shownKeys()).toEqual([...byPartitions].reverse());
    expect(await header.getAttribute('aria-sort')).toBe('descending');
  });

  it('filters by selection and by facet, keeps the view in the URL, and steps back and forward in place', async () => {
    await page.goto(`${serve.url}/#/catalog`);
    await rowsToBe(10);
    // Marks the table: stepping through history must update it, not rebuild the page.
    await page.locator('.vtable').evaluate((table) => (table.dataset.marker = 'first'));
    const input = page.getByRole('textbox', { name: 'selection expression' });
    await input.fill('+metrics');
    await input.press('Enter');
    await page.waitForURL(/#\/catalog\?select=%2Bmetrics$/);
    await rowsToBe(8);
    const selected = (await api<{ keys: string[] }>('/api/selection?q=%2Bmetrics')).keys;
    expect(await shownKeys()).toEqual([...selected].sort(byKey));
    await page.locator('.selection-note', { hasText: '8 asset(s) selected' }).waitFor();

    const status = page.getByRole('combobox', { name: 'status' });
    await status.selectOption('empty');
    await page.waitForURL(/#\/catalog\?select=%2Bmetrics&status=empty$/);
    // The five per-design assets have no partitions until designs runs.
    const empty = ['cad_revision', 'design_point', 'fea_run', 'mesh', 'metrics'];
    await rowsToBe(5);
    expect(await shownKeys()).toEqual(empty);
    await page.getByRole('button', { name: 'Materialize 5 assets' }).waitFor();
    expect(await status.locator('option:checked').textContent()).toBe('status: empty (5)');

    // A link reproduces the view.
    const colleague = await openPage(browser, consoleErrors);
    await colleague.goto(page.url());
    await rowsToBe(5, colleague);
    expect(await shownKeys(colleague)).toEqual(empty);
    expect(
      await colleague.getByRole('textbox', { name: 'selection expression' }).inputValue(),
    ).toBe('+metrics');
    expect(await colleague.getByRole('combobox', { name: 'status' }).inputValue()).toBe('empty');
    await colleague.close();

    // Back and forward step through the view's changes without rebuilding the page.
    await page.goBack();
    await rowsToBe(8);
    expect(await status.inputValue()).toBe('');
    expect(await input.inputValue()).toBe('+metrics');
    await page.goBack();
    await rowsToBe(10);
    expect(await input.inputValue()).toBe('');
    await page.goForward();
    await rowsToBe(8);
    expect(await input.inputValue()).toBe('+metrics');
    await page.goForward();
    await rowsToBe(5);
    expect(await status.inputValue()).toBe('empty');
    expect(await page.locator('.vtable').getAttribute('data-marker')).toBe('first');
  });

  it('says where a bad selection goes wrong and offers nothing to materialize', async () => {
    await page.goto(`${serve.url}/#/catalog?select=${encodeURIComponent('metrics, +nope')}`);
    const note = page.locator('.selection-note.error');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/column 10.*nope/s);
    await rowsToBe(0);
    expect(await page.getByRole('button', { name: 'Materialize 0 assets' }).isDisabled()).toBe(
      true,
    );
  });

  it('draws only the rows in view, and the others as they scroll in', async () => {
    await page.goto(`${serve.url}/#/catalog`);
    await rowsToBe(10);
    const table = page.locator('.vtable');
    // A table two rows high (the page would fit all ten at this window size).
    await table.evaluate((element) => {
      element.style.flex = 'none';
      element.style.height = '100px';
    });
    await expect
      .poll(async () => Number(await table.getAttribute('data-rendered')))
      .toBeLessThan(10);
    const keys = (await api<{ nodes: Node[] }>('/api/assets')).nodes.map((n) => n.key).sort(byKey);
    /** The rows in the page are a run of the sorted keys, in order. */
    const expectContiguous = async (): Promise<string[]> => {
      const shown = await shownKeys();
      const from = keys.indexOf(shown[0]!);
      expect(shown).toEqual(keys.slice(from, from + shown.length));
      return shown;
    };
    expect(await expectContiguous()).not.toContain(keys.at(-1));
    // Rows scrolled out leave the page, rows scrolled in are added in order.
    await table.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await page.locator(`.vtable-row[data-key="${keys.at(-1)!}"]`).waitFor();
    expect(await expectContiguous()).not.toContain(keys[0]);
    expect(Number(await table.getAttribute('data-rendered'))).toBeLessThan(10);
    await table.evaluate((element) => (element.scrollTop = 0));
    await page.locator(`.vtable-row[data-key="${keys[0]!}"]`).waitFor();
    expect(await expectContiguous()).not.toContain(keys.at(-1));
  });

  it('materializes exactly the assets shown, in one run', async () => {
    const { nodes } = await api<{ nodes: Node[] }>('/api/assets');
    const upstream = new Set((await api<{ keys: string[] }>('/api/selection?q=%2Bdesigns')).keys);
    const expected = nodes
      .filter((n) => upstream.has(n.key) && n.status.state === 'missing')
      .map((n) => n.key)
      .sort(byKey);
    expect(expected).toEqual(['design_space', 'designs']);
    await page.goto(`${serve.url}/#/catalog?select=%2Bdesigns&status=missing`);
    await rowsToBe(expected.length);
    expect(await shownKeys()).toEqual(expected);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Materialize ${expected.length} assets` }).click();
    await page.waitForURL(/#\/runs\/\d+$/);
    runId = Number(/#\/runs\/(\d+)$/.exec(page.url())![1]);
    const run = await api<{ selection: string; steps: { key: string }[] }>(`/api/runs/${runId}`);
    expect(run.selection).toBe(expected.join(','));
    expect([...new Set(run.steps.map((step) => step.key))].sort(byKey)).toEqual(expected);
    await page
      .locator('.page-header h1 .badge')
      .filter({ hasText: 'succeeded' })
      .waitFor({ timeout: 60_000 });

    // Back on the catalog (every asset, worst status first), the launched assets are fresh.
    await page.goto(`${serve.url}/#/catalog?sort=status`);
    await rowsToBe(nodes.length);
    for (const key of expected)
      await page.locator(`.vtable-row[data-key="${key}"] .badge.state-fresh`).waitFor();
    await screenshot(page, '30-catalog');
  });
});

describe('the global search', () => {
  it('opens with Ctrl-K, moves with the arrow keys and opens an asset with Enter', async () => {
    await page.goto(`${serve.url}/#/runs/${runId}`);
    await page.locator('.page-header h1').waitFor();
    const palette = page.getByRole('dialog', { name: 'search' });
    await page.keyboard.press('Control+k');
    await palette.waitFor();
    await page.getByRole('combobox', { name: 'search everything' }).fill('pareto');
    await page.locator('.palette-options[data-query="pareto"]').waitFor();
    const options = palette.getByRole('option');
    expect(await options.locator('.palette-label').allTextContents()).toEqual([
      'pareto_front',
      'plan_pareto_front',
    ]);
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    await screenshot(page, '31-search-palette');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/assets\/plan_pareto_front$/);
    expect(await palette.isVisible()).toBe(false);
  });

  it('finds a run by id from any page, and closes with Escape', async () => {
    await page.goto(`${serve.url}/#/catalog`);
    await rowsToBe(10);
    const palette = page.getByRole('dialog', { name: 'search' });
    await page.keyboard.press('Control+k');
    await palette.waitFor();
    const input = page.getByRole('combobox', { name: 'search everything' });
    await input.fill(String(runId));
    await page.locator(`.palette-options[data-query="${runId}"]`).waitFor();
    const first = palette.getByRole('option').first();
    expect(await first.getAttribute('data-kind')).toBe('run');
    expect(await first.locator('.palette-label').textContent()).toBe(`Run ${runId}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/runs/${runId}$`));

    await page.keyboard.press('Control+k');
    await palette.waitFor();
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'hidden' });
    expect(page.url()).toMatch(new RegExp(`#/runs/${runId}$`));
  });

  it('logged no error in the browser console but the 400 of the bad selection', () => {
    const provoked = /status of 400/;
    expect(consoleErrors.filter((message) => !provoked.test(message))).toEqual([]);
    expect(consoleErrors.filter((message) => provoked.test(message))).toHaveLength(1);
  });
});
