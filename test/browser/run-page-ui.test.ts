// The run page and the UI's error pages in real Chromium against a real `strata serve`: a run
// of 2,001 steps (test/fixtures/browser/wide-run.ts) whose Gantt fills its card, opens grouped
// by asset and collapsed, expands a group on click, keeps step titles as written, and whose log
// filters and highlights; missing runs, assets, materializations and plans as one clear message;
// a server that stops answering with Retry; and the dark theme of the system setting.
import type { Browser, Locator, Page } from 'playwright-core';
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
const FIXTURE = { STRATA_DEFINITIONS: `${REPO_ROOT}test/fixtures/browser/wide-run.ts` };
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let runId: number;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [serve, browser] = await Promise.all([
    startServe({ databaseUrl: database.url, env: FIXTURE }),
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

/** The relative luminance (0 black, 1 white) of a CSS `rgb(...)` colour. */
function luminance(color: string): number {
  const [r, g, b] = (/rgba?\(([^)]+)\)/.exec(color)?.[1] ?? '')
    .split(',')
    .slice(0, 3)
    .map((c) => Number(c) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  if (r === undefined || g === undefined || b === undefined) throw new Error(`not rgb: ${color}`);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Opens the run and waits for it to have succeeded (it is followed live). */
async function openRun(on: Page): Promise<void> {
  await on.goto(`${serve.url}/#/runs/${runId}`);
  await on
    .locator('.page-header h1 .badge', { hasText: 'succeeded' })
    .waitFor({ timeout: 120_000 });
  await on.locator('.gantt .gantt-group').first().waitFor();
  // Followed live, its log is read whole once it is over: the page is then at rest.
  await on.locator('[data-complete="true"]').waitFor();
}

/**
 * The drawn row of stress[`partition`], scrolled to: rows are ordered by when their steps
 * started, which the run decides, and only those near the view are drawn.
 */
async function scrollToStressRow(on: Page, partition: string): Promise<Locator> {
  const row = on.locator('.gantt .gantt-row[data-asset="stress"]', { hasText: partition });
  const wrap = on.locator('.gantt-wrap');
  await wrap.evaluate((box) => (box.scrollTop = 0));
  for (;;) {
    // Two frames: the scroll's redraw is scheduled on the next one.
    await wrap.evaluate(
      (box) =>
        new Promise((resolve) => {
          const view = box.ownerDocument.defaultView!;
          view.requestAnimationFrame(() => view.requestAnimationFrame(resolve));
        }),
    );
    if ((await row.count()) > 0) return row;
    const atEnd = await wrap.evaluate((box) => {
      const before = box.scrollTop;
      box.scrollTop += box.clientHeight / 2;
      return box.scrollTop === before;
    });
    if (atEnd) throw new Error(`no row of stress[${partition}] in the timeline`);
  }
}

/** Width of the Gantt, of its card's content box, and the card's right edge. */
async function ganttFit(on: Page): Promise<{ chart: number; room: number; overflow: number }> {
  return on.locator('.gantt-wrap').evaluate((wrap) => {
    const chart = wrap.querySelector('.gantt')!.getBoundingClientRect();
    const card = wrap.closest('.card')!;
    const style = wrap.ownerDocument.defaultView!.getComputedStyle(card);
    const room = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {
      chart: chart.width,
      room,
      overflow: chart.right - card.getBoundingClientRect().right,
    };
  });
}

describe('the run page', () => {
  it('draws a 2,001-step run grouped by asset and collapsed, as wide as its card', async () => {
    await openRun(page);
    // One row per partitioned asset, collapsed; the unpartitioned summary is a row of its own.
    const groups = page.locator('.gantt .gantt-group');
    expect(await groups.count()).toBe(2);
    expect(await groups.evaluateAll((g) => g.map((e) => e.getAttribute('aria-expanded')))).toEqual([
      'false',
      'false',
    ]);
    expect(await page.locator('.gantt .gantt-row').count()).toBe(1);
    const stress = page.locator('.gantt .gantt-group[data-asset="stress"]');
    expect(await stress.locator('.group-counts').textContent()).toBe('1000 succeeded');
    expect(await stress.locator('.group-segment').count()).toBe(1);

    // The chart fills the card's content box (less the scroll bar's room), and no more.
    const fit = await ganttFit(page);
    expect(fit.chart).toBeGreaterThan(fit.room - 24);
    expect(fit.overflow).toBeLessThanOrEqual(0);
    // and follows the window's width.
    await page.setViewportSize({ width: 1000, height: 900 });
    await expect.poll(async () => (await ganttFit(page)).chart).toBeLessThan(fit.chart - 300);
    const narrow = await ganttFit(page);
    expect(narrow.chart).toBeGreaterThan(narrow.room - 24);
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect.poll(async () => (await ganttFit(page)).chart).toBe(fit.chart);
    await screenshot(page, '40-run-grouped');
  }, 180_000);

  it('expands a group to its 1,000 partitions on click, scrolls them, and collapses it', async () => {
    const stress = page.locator('.gantt .gantt-group[data-asset="stress"]');
    // How long the click takes to lay out and draw the chart with 1,000 more rows.
    const redrawMs = await stress.evaluate((group) => {
      const started = performance.now();
      const { MouseEvent } = group.ownerDocument.defaultView!;
      group.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      return performance.now() - started;
    });
    expect(redrawMs).toBeLessThan(500);
    await page.locator('.gantt .gantt-group[data-asset="stress"][aria-expanded="true"]').waitFor();
    // Every row has its place (2 groups, 1,000 partitions, the summary); only those near the
    // view are drawn.
    expect(await page.locator('.gantt').getAttribute('data-rows')).toBe('1003');
    const drawn = await page.locator('.gantt .gantt-row[data-asset="stress"]').count();
    expect(drawn).toBeGreaterThan(20);
    expect(drawn).toBeLessThan(120);
    // The partition that started first, on the first row.
    const first = await page
      .locator('.gantt .gantt-row[data-asset="stress"] .row-label')
      .first()
      .evaluate((e) => e.firstChild?.textContent ?? '');
    expect(first).toMatch(/^Case_\d{4}$/);
    // A partition's row names its partition, as written.
    const row = await scrollToStressRow(page, 'Case_0007');
    expect(await row.locator('.row-label').evaluate((e) => e.firstChild?.textContent)).toBe(
      'Case_0007',
    );
    await screenshot(page, '41-run-group-expanded');
    // Scrolled to the end, the last rows (the summary started last) are drawn, the first not.
    await page.locator('.gantt-wrap').evaluate((box) => (box.scrollTop = box.scrollHeight));
    await page.locator('.gantt .gantt-row[data-asset="summary"]').waitFor();
    expect(await page.locator('.gantt .gantt-row', { hasText: first }).count()).toBe(0);
    expect(await page.locator('.gantt .gantt-row[data-asset="stress"]').count()).toBeLessThan(120);
    await page.locator('.gantt-wrap').evaluate((box) => (box.scrollTop = 0));
    await page.locator('.gantt .gantt-group[data-asset="stress"]').click();
    await page.locator('.gantt .gantt-group[data-asset="stress"][aria-expanded="false"]').waitFor();
    expect(await page.locator('.gantt .gantt-row[data-asset="stress"]').count()).toBe(0);
    expect(await page.locator('.gantt').getAttribute('data-rows')).toBe('3');
  });

  it('filters the log and highlights what matches, in any case', async () => {
    const lines = page.locator('.log li');
    // The log was followed live, new lines appended as they came: it holds each of the run's
    // events from info up exactly once (the last 5,000 of them).
    let events = 0;
    for (let cursor: string | undefined, more = true; more;) {
      const query = `level=info&limit=500${cursor === undefined ? '' : `&cursor=${cursor}`}`;
      const response = await fetch(`${serve.url}/api/runs/${runId}/events?${query}`);
      const page = (await response.json()) as {
        items: unknown[];
        nextCursor: string;
        hasMore: boolean;
      };
      events += page.items.length;
      cursor = encodeURIComponent(page.nextCursor);
      more = page.hasMore;
    }
    expect(events).toBeGreaterThan(100);
    await expect.poll(() => lines.count()).toBe(Math.min(events, 5_000));
    const all = await lines.count();
    expect(await page.locator('.log-count').textContent()).toBe(`${all} lines`);
    await page.getByRole('searchbox', { name: 'filter the log' }).fill('yield LIMIT');
    await expect.poll(() => lines.count()).toBe(1);
    expect(await lines.first().textContent()).toContain('stress[Case_0007]');
    expect(await lines.first().locator('mark').allTextContents()).toEqual(['Yield limit']);
    expect(await page.locator('.log-count').textContent()).toBe(`1 of ${all} lines`);
    await page.getByRole('searchbox', { name: 'filter the log' }).fill('no line says this');
    await expect.poll(() => lines.first().textContent()).toContain('No log line contains');
    await page.getByRole('searchbox', { name: 'filter the log' }).fill('');
    await expect.poll(() => lines.count()).toBe(all);
    // Another level loads the log anew: from warnings up, the one warning and the line written
    // to stderr (its stream in place of its level); then all again.
    await page.getByRole('combobox', { name: 'log level' }).selectOption('warn');
    await expect.poll(() => lines.count()).toBe(2);
    expect(await lines.first().textContent()).toContain('Yield limit');
    expect(await lines.nth(1).locator('.level').textContent()).toBe('stderr');
    await page.getByRole('combobox', { name: 'log level' }).selectOption('info');
    await expect.poll(() => lines.count()).toBe(all);
    // Only what the computes wrote to one stream: each line names it.
    const stream = page.getByRole('combobox', { name: 'log stream' });
    await stream.selectOption('stdout');
    await expect.poll(() => lines.count()).toBe(1);
    expect(await lines.first().locator('[data-stream="stdout"]').textContent()).toBe('stdout');
    expect(await lines.first().textContent()).toContain('stress[Case_0007]principal stress 17.5');
    await stream.selectOption('stderr');
    await expect.poll(() => lines.first().textContent()).toContain('2 distorted elements');
    expect(await lines.count()).toBe(1);
    await page.getByRole('searchbox', { name: 'filter the log' }).fill('yield');
    await expect.poll(() => lines.first().textContent()).toContain('No log line contains');
    await page.getByRole('searchbox', { name: 'filter the log' }).fill('');
    await stream.selectOption('');
    await expect.poll(() => lines.count()).toBe(all);
  });

  it("links a materialization's attempt to the run page with its step selected and its output in the log", async () => {
    const detail = (await (await fetch(`${serve.url}/api/runs/${runId}`)).json()) as {
      steps: { stepId: number; key: string; partition: string | null; materializationId: number }[];
    };
    const step = detail.steps.find((s) => s.key === 'stress' && s.partition === 'Case_0007')!;
    await page.goto(`${serve.url}/#/materializations/${step.materializationId}`);
    await page.getByRole('link', { name: /\(log\)$/ }).click();
    await page.waitForURL(`**/#/runs/${runId}?step=${step.stepId}`);
    await expect.poll(() => page.locator('.log-step').textContent()).toContain('stress[Case_0007]');
    const lines = page.locator('.log li');
    await expect
      .poll(() => lines.locator('.level').allTextContents())
      .toEqual(expect.arrayContaining(['stdout', 'stderr', 'warn']));
    await page.goto(`${serve.url}/#/runs/${runId}`);
    await page.locator('[data-complete="true"]').waitFor();
  });

  it('shows a step with its title as written, never re-cased', async () => {
    await page.locator('.gantt .gantt-group[data-asset="stress"]').click();
    await (await scrollToStressRow(page, 'Case_0007')).click();
    const title = page.locator('.step-detail h3');
    await title.waitFor();
    // innerText is the text as rendered, after any CSS text-transform.
    expect(await title.innerText()).toBe('stress[Case_0007] succeeded');
    expect(
      await title.evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).textTransform),
    ).toBe('none');
    // The log follows the selected step.
    await expect.poll(() => page.locator('.log-step').textContent()).toContain('stress[Case_0007]');
    expect(await page.locator('.log li', { hasText: 'Yield limit' }).count()).toBe(1);
    await screenshot(page, '42-run-step-selected');
  });
});

describe('pages of what does not exist', () => {
  const cases = [
    ['run', '#/runs/999999', 'Run 999999 does not exist', 'Back to the runs', '#/runs'],
    [
      'asset',
      '#/assets/no_such_asset',
      'Asset no_such_asset does not exist',
      'Back to the asset graph',
      '#/',
    ],
    [
      'materialization',
      '#/materializations/999999',
      'Materialization 999999 does not exist',
      'Back to the asset graph',
      '#/',
    ],
    [
      'plan',
      '#/plans/plan-0000000000000000',
      'Plan plan-0000000000000000 does not exist',
      'Back to the plans',
      '#/plans',
    ],
    [
      'page',
      '#/nothing/here',
      'There is no page at /nothing/here',
      'Back to the asset graph',
      '#/',
    ],
  ] as const;
  for (const [what, hash, message, back, href] of cases) {
    it(`shows a missing ${what} as one clear message with the way back`, async () => {
      await page.goto(`${serve.url}/${hash}`);
      const box = page.locator('main .error-box.error-not-found');
      await box.waitFor();
      expect(await box.locator('strong').textContent()).toBe(message);
      const link = box.getByRole('link', { name: back });
      expect(await link.getAttribute('href')).toBe(href);
      // No card left empty, no API talk (endpoints, raw JSON) on the page.
      expect(await page.locator('main .card').count()).toBe(0);
      expect(await page.locator('main .loading').count()).toBe(0);
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).not.toMatch(/[{}]|\/api\/|GET /);
      if (what === 'run') {
        await screenshot(page, '43-run-missing');
        await link.click();
        await page.locator('main h1', { hasText: 'Runs' }).waitFor();
      }
    });
  }

  it('says so when the server stops answering, and retries on request', async () => {
    const own = await startServe({ databaseUrl: database.url, env: FIXTURE });
    const other = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await other.goto(`${own.url}/#/runs`);
      await other.locator('main table.runs').waitFor();
      await own.stop();
      let requests = 0;
      other.on('request', (request) => {
        if (request.url().endsWith(`/api/runs/${runId}`)) requests += 1;
      });
      await other
        .locator('html')
        .evaluate((html, id) => (html.ownerDocument.location.hash = `#/runs/${id}`), runId);
      const box = other.locator('main .error-box.error-unreachable');
      await box.waitFor();
      expect(await box.locator('strong').textContent()).toBe(`Could not load run ${runId}`);
      expect(await box.textContent()).toContain('The server did not answer');
      expect(await other.locator('main .card').count()).toBe(0);
      expect(requests).toBe(1);
      await box.getByRole('button', { name: 'Retry' }).click();
      await expect.poll(() => requests).toBe(2);
      await other.locator('main .error-box.error-unreachable').waitFor();
      await screenshot(other, '44-run-server-unreachable');
    } finally {
      await other.close();
      await own.stop();
    }
  });
});

describe('the dark theme', () => {
  it('follows the system setting on every surface, the graph canvas included', async () => {
    const dark = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await dark.emulateMedia({ colorScheme: 'dark' });
      await dark.goto(serve.url);
      await dark.locator('.graph-view[data-ready="true"]').waitFor();
      const body = {
        background: await dark
          .locator('html')
          .evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).backgroundColor),
        color: await dark
          .locator('body')
          .evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).color),
      };
      expect(luminance(body.background)).toBeLessThan(0.05);
      expect(luminance(body.color)).toBeGreaterThan(0.7);
      // The canvas itself paints the theme's backdrop: a corner pixel is dark and opaque.
      const pixel = await dark.locator('.graph-canvas').evaluate((canvas) => {
        const context = canvas.getContext('2d')!;
        return [...context.getImageData(2, 2, 1, 1).data];
      });
      expect(pixel[3]).toBe(255);
      expect(luminance(`rgb(${pixel.slice(0, 3).join(',')})`)).toBeLessThan(0.05);
      await screenshot(dark, '45-graph-dark');

      await openRun(dark); // finished: the chart is no longer redrawn as time goes
      const card = await dark
        .locator('main .card')
        .first()
        .evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).backgroundColor);
      expect(luminance(card)).toBeLessThan(0.05);
      const label = await dark
        .locator('.gantt .row-label')
        .first()
        .evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).fill);
      expect(luminance(label)).toBeGreaterThan(0.7);
      await screenshot(dark, '46-run-dark');

      // Every other page: no light surface left (a light box in a dark page is unreadable).
      const detail = (await (await fetch(`${serve.url}/api/runs/${runId}`)).json()) as {
        steps: { materializationId: number | null }[];
      };
      const materialization = detail.steps.find((s) => s.materializationId !== null)!;
      const pages = [
        ['#/runs', 'main table.runs'],
        ['#/assets/stress', 'main .card'],
        [`#/materializations/${materialization.materializationId}`, 'main .card'],
        ['#/automation', 'main .card'],
        ['#/plans', 'main h1'],
        ['#/runs/999999', 'main .error-box'],
      ] as const;
      for (const [hash, ready] of pages) {
        await dark.goto(`${serve.url}/${hash}`);
        await dark.locator(ready).first().waitFor();
        const light = await dark.locator('body').evaluate((body) => {
          const view = body.ownerDocument.defaultView!;
          const found: string[] = [];
          for (const element of body.querySelectorAll('*')) {
            const color = view.getComputedStyle(element).backgroundColor;
            const [r = 0, g = 0, b = 0, a = 1] = (/\(([^)]+)\)/.exec(color)?.[1] ?? '')
              .split(',')
              .map(Number);
            // Plain light greys and whites (the states' colours are saturated and mid-tone).
            if (a > 0.5 && Math.min(r, g, b) > 190) found.push(`${element.className}: ${color}`);
          }
          return found;
        });
        expect(light, hash).toEqual([]);
      }
      await screenshot(dark, '48-missing-dark');

      // The system turning light under an open graph: the page and the canvas follow at once.
      await dark.goto(serve.url);
      await dark.locator('.graph-view[data-ready="true"]').waitFor();
      const corner = (): Promise<number> =>
        dark.locator('.graph-canvas').evaluate((canvas) => {
          const [r, g, b] = canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data;
          return Math.min(r, g, b);
        });
      expect(await corner()).toBeLessThan(60);
      await dark.emulateMedia({ colorScheme: 'light' });
      await expect.poll(corner).toBeGreaterThan(230);
      const light = await dark
        .locator('html')
        .evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).backgroundColor);
      expect(luminance(light)).toBeGreaterThan(0.8);
      await screenshot(dark, '47-graph-light');
    } finally {
      await dark.close();
    }
  });

  it('left no error in the console of the main window', () => {
    expect(consoleErrors.filter((e) => !e.includes('404'))).toEqual([]);
  });
});
