// Source assets in the lineage browser, in real Chromium against a real `strata serve` of the
// engineering example, whose daemon observes `material_properties` (read from a copy of its
// export, test/fixtures/browser/source-study.ts) at start: the graph marks it as a source (legend
// toggle, dashed card with a cylinder, tooltip), its panel says how it is observed and offers
// "Observe now" where others offer Materialize, Materialize on it alone says there is nothing to
// compute and launches no run; an observation after the file changed records a new version; the
// asset page has a source section and lists the observations without runs; an observation's
// page renders without a run, step or worker. Screenshots of each page are kept.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaterializationPage } from '../../lineage/src/api/types.js';
import { REPO_ROOT } from '../cli/cli-harness.js';
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
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/browser/source-study.ts');
const SOURCE = 'material_properties';
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let materials: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  const home = await mkdtemp(path.join(tmpdir(), 'strata-source-ui-'));
  materials = path.join(home, 'material-properties.json');
  copyFileSync(path.join(REPO_ROOT, 'assets/material-properties.json'), materials);
  [serve, browser] = await Promise.all([
    startServe({
      databaseUrl: database.url,
      env: {
        STRATA_DEFINITIONS: FIXTURE,
        STRATA_TEST_MATERIALS: materials,
        STRATA_HOME: path.join(home, 'strata'),
      },
    }),
    launchChromium(),
  ]);
  page = await openPage(browser, consoleErrors);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

async function api<T>(route: string): Promise<T> {
  const response = await fetch(`${serve.url}${route}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** The source's observations (its materializations), newest first. */
async function observations(): Promise<MaterializationPage['items']> {
  return (await api<MaterializationPage>(`/api/assets/${SOURCE}/materializations`)).items;
}

async function runCount(): Promise<number> {
  return (await api<{ items: unknown[] }>('/api/runs')).items.length;
}

/** The centre of the graph canvas, in page coordinates. */
/** The middle of the area the side panel leaves uncovered (the page keeps its width + 20 px). */
async function uncoveredCentre(): Promise<{ x: number; y: number }> {
  const box = await page.locator('.graph-canvas').boundingBox();
  if (box === null) throw new Error('the graph canvas is not visible');
  const panel = page.locator('.side-panel');
  const covered = (await panel.isVisible()) ? (await panel.boundingBox())!.width + 20 : 0;
  return { x: box.x + (box.width - covered) / 2, y: box.y + box.height / 2 };
}

const panel = () => page.locator('.side-panel');

/** Removes the notices shown so far (they would cover the next screenshot). */
async function clearNotices(): Promise<void> {
  await page.locator('#notices').evaluateAll((areas) => areas.forEach((a) => a.replaceChildren()));
}

describe('source assets in the lineage browser', () => {
  it('marks the observed source on the graph: legend toggle, tooltip, panel', async () => {
    // The server's automation daemon observes the source asset at once.
    await waitFor('the first automation tick', async () => {
      const { items } = await api<{ items: { status: string }[] }>('/api/automation/ticks?limit=1');
      return items[0]?.status === 'succeeded' ? true : undefined;
    });
    expect(await observations()).toHaveLength(1);
    await page.goto(serve.url);
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    const toggle = page.locator('.legend-filter.filter-source');
    expect(await toggle.textContent()).toBe('source 1');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'source-01-graph-sources-highlighted');
    // Zoomed out to labelled blocks, the source block keeps a dashed outline.
    const canvas = page.locator('.graph-canvas');
    while (Number(await canvas.getAttribute('data-scale')) >= 0.4) {
      const frames = Number(await canvas.getAttribute('data-frames'));
      await page.getByRole('button', { name: 'zoom out' }).click();
      await expect
        .poll(async () => Number(await canvas.getAttribute('data-frames')))
        .toBeGreaterThan(frames);
    }
    await screenshot(page, 'source-01b-graph-blocks');
    await page.getByRole('button', { name: 'Fit' }).click();
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');

    const search = page.getByRole('searchbox', { name: 'search assets by key' });
    await search.fill(SOURCE);
    await search.press('Enter');
    await panel().locator('h2', { hasText: SOURCE }).waitFor();
    const text = await panel().textContent();
    expect(text).toContain('Source asset: an external input, observed and never computed');
    expect(text).toContain('observed by the automation daemon at most every 1m');
    expect(text).toContain('version first observed');
    expect(text).not.toContain('last materialized');
    expect(await panel().locator('.badge.source').textContent()).toBe('source');
    expect(await panel().getByRole('button', { name: 'Observe now' }).count()).toBe(1);
    expect(
      await panel()
        .getByRole('button', { name: /Materialize|With upstream/ })
        .count(),
    ).toBe(0);

    // The selected source is centred left of the panel: hovering there shows its tooltip.
    const centre = await uncoveredCentre();
    await page.mouse.move(centre.x, centre.y);
    const tooltip = page.locator('.graph-tooltip:not([hidden])', { hasText: SOURCE });
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain('source · observed');
    expect(await tooltip.textContent()).toContain('source asset: observed, never computed');
    await screenshot(page, 'source-02-graph-source-selected');
  });

  it('says a selection of the source alone has nothing to compute, and launches no run', async () => {
    await page.getByRole('button', { name: 'Materialize', exact: true }).click();
    await page
      .locator('.notice', { hasText: `Nothing to compute: ${SOURCE} is a source asset` })
      .waitFor();
    // The same for a selection expression that resolves to the source alone.
    const input = page.getByRole('textbox', { name: 'selection expression' });
    await input.fill(`group:materials`);
    await input.press('Enter');
    await page.locator('.selection-note', { hasText: '1 asset(s) selected' }).waitFor();
    await clearNotices();
    await page.getByRole('button', { name: 'Materialize', exact: true }).click();
    await page.locator('.notice', { hasText: 'Nothing to compute' }).waitFor();
    expect(page.url()).not.toMatch(/#\/runs\//);
    expect(await runCount()).toBe(0);
    await input.fill('');
    await input.press('Enter');
  });

  it('observes it now: the same version, then a new one once the export changed', async () => {
    const [first] = await observations();
    await panel().getByRole('button', { name: 'Observe now' }).click();
    await page
      .locator('.notice', { hasText: `Observed ${SOURCE}: no new version` })
      .waitFor({ timeout: 15_000 });
    expect(await observations()).toHaveLength(1);

    const table = readFileSync(materials, 'utf8');
    writeFileSync(
      materials,
      table.replace('"yield_strength_pa": 250e6', '"yield_strength_pa": 255e6'),
    );
    await panel().getByRole('button', { name: 'Observe now' }).click();
    const notice = page.locator('.notice', { hasText: `Observed ${SOURCE}: a new version` });
    await notice.waitFor({ timeout: 15_000 });
    const items = await observations();
    expect(items).toHaveLength(2);
    expect(items[0]!.dataVersion).not.toBe(first!.dataVersion);
    expect(items[0]!.runId).toBeNull();
    expect(await notice.textContent()).toContain(`observation #${items[0]!.materializationId}`);
    expect(await runCount()).toBe(0);
  });

  it("opens the source's page: observed, not computed, and its observations", async () => {
    const [latest, previous] = await observations();
    await page.goto(`${serve.url}/#/assets/${SOURCE}`);
    const section = page.locator('[data-section="Source"]');
    await section.waitFor();
    expect(await page.locator('.page-header h1 .badge.source').textContent()).toBe('source');
    const text = await section.textContent();
    expect(text).toContain('observed, not computed');
    expect(text).toContain('observed by the automation daemon at most every 1m');
    expect(text).toContain(`first observed`);
    expect(text).toContain(`observation #${latest!.materializationId}`);
    expect(await section.locator('code.data-version').textContent()).toBe(latest!.dataVersion);
    // The daemon's tick at start observed the first version.
    await section.locator('.daemon-observation', { hasText: 'new version' }).waitFor();
    expect(await section.locator('.daemon-observation').textContent()).toContain(
      previous!.dataVersion.slice(0, 12),
    );
    expect(await page.locator('dl.facts dt', { hasText: 'version first observed' }).count()).toBe(
      1,
    );
    expect(await page.locator('dl.facts dt', { hasText: 'last materialized' }).count()).toBe(0);

    const actions = page.locator('.page-header .actions');
    expect(await actions.getByRole('button', { name: 'Observe now' }).count()).toBe(1);
    expect(await actions.getByRole('button', { name: /Materialize|Force/ }).count()).toBe(0);

    const history = page.locator('[data-section="History"]');
    expect(await history.locator('h2').textContent()).toBe('Observations');
    expect(await history.locator('th').allTextContents()).toEqual([
      'observation',
      'partition',
      'observed',
      'took',
      'data version',
      'size',
      'metadata',
    ]);
    const rows = history.locator('table.history tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await history.locator('a[href^="#/runs/"]').count()).toBe(0);
    expect(await rows.first().locator('a').textContent()).toBe(`#${latest!.materializationId}`);
    expect(await rows.first().textContent()).toContain('materials=3');
    await clearNotices();
    await screenshot(page, 'source-03-asset-page');
  });

  it('opens an observation: no run, step or worker, and what was built from it', async () => {
    const [latest, previous] = await observations();
    await page.locator('table.history tbody tr a').first().click();
    await page.waitForURL(new RegExp(`#/materializations/${latest!.materializationId}$`));
    const observation = page.locator('[data-section="Observation"]');
    await observation.waitFor();
    const heading = await page.locator('.page-header h1').textContent();
    expect(heading).toContain(`${SOURCE} · observation #${latest!.materializationId}`);
    expect(heading).toContain('latest');
    expect(heading).toContain('source');
    const text = await observation.textContent();
    expect(text).toContain('an observation, without a run');
    expect(text).toContain('current: what uses it reads this version');
    expect(await observation.locator('code.data-version').textContent()).toBe(latest!.dataVersion);
    expect(await page.locator('[data-section="Provenance"]').count()).toBe(0);
    expect(await page.locator('dt', { hasText: 'step / attempt' }).count()).toBe(0);
    expect(await page.locator('.page-header a', { hasText: /^Run / }).count()).toBe(0);
    // Its lineage: built from nothing strata tracks, and nothing was computed from it yet.
    await page
      .locator('[data-section="Lineage"] p', {
        hasText: 'Observed outside strata, and nothing was built from it yet.',
      })
      .waitFor();
    expect(await page.locator('[data-section="Inputs"]').count()).toBe(0);
    await page.locator('[data-section="What depends on this"]').waitFor();
    await clearNotices();
    await screenshot(page, 'source-04-observation');

    await page.goto(`${serve.url}/#/materializations/${previous!.materializationId}`);
    await page.locator('.page-header h1', { hasText: 'superseded' }).waitFor();
    expect(await page.locator('[data-section="Observation"]').textContent()).toContain(
      'superseded by a newer one',
    );
  });

  it('logged no error in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
