// catalog: the asset catalog (#/catalog) on the 10,000-asset graph (bench/ui-fixture.ts) in
// headless Chromium: navigation to the first rows drawn, a click on a column header to the next
// frame with the 10,000 rows re-sorted, and while scrolling the table 900 px per frame (a fling:
// every row in view is new each frame) what drawing the rows in view costs (data-draw-ms) and the
// frame intervals, beside the intervals of the same page idle. Baseline: the same page fetching
// and parsing the /api/assets document, what any catalog must pay first.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { formatNumber, summarize } from './support/stats.js';
import { largeGraphFixture, UI_ASSETS } from './ui-fixture.js';
import { fetchAndParse } from './ui.js';

/** The target for the graph at this size, kept for the catalog too. */
const RENDERED_TARGET_MS = 1_500;
const PAGE_LOADS = 5;
const SCROLL_FRAMES = 120;
const VIEWPORT = { width: 1600, height: 1000 };

/** In the page: click the Partitions header, resolve at the next frame after the hash changed. */
const SORT_SCRIPT = `(async () => {
  const button = [...document.querySelectorAll('.vtable-head button')]
    .find((b) => b.textContent === 'Partitions');
  const start = performance.now();
  const done = new Promise((resolve) => window.addEventListener('hashchange',
    () => requestAnimationFrame(() => resolve()), { once: true }));
  button.click();
  await done;
  return performance.now() - start;
})()`;

/** In the page: scroll 900 px per frame, returning the intervals between frames. */
const SCROLL_SCRIPT = `(async () => {
  const table = document.querySelector('.vtable');
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const intervals = async (scroll) => {
    const gaps = [];
    const draws = [];
    let last = await frame();
    for (let i = 0; i < ${SCROLL_FRAMES}; i++) {
      if (scroll) table.scrollTop += 900;
      const now = await frame();
      gaps.push(now - last);
      draws.push(Number(table.dataset.drawMs));
      last = now;
    }
    return { gaps, draws };
  };
  const idle = (await intervals(false)).gaps;
  const { gaps, draws } = await intervals(true);
  return { gaps, draws, idle, rendered: Number(table.dataset.rendered) };
})()`;

/** Opens the catalog (bypassCSP: the scripts above are evaluated from strings). */
async function openCatalog(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT, bypassCSP: true });
  await page.goto(`${url}/#/catalog`);
  await page.locator(`.vtable[data-rows="${UI_ASSETS}"]`).waitFor({ timeout: 60_000 });
  return page;
}

async function loadCatalog(
  browser: Browser,
  url: string,
): Promise<{ renderedMs: number; sortMs: number }> {
  const page = await openCatalog(browser, url);
  try {
    const renderedMs = await page.evaluate(
      () => performance.getEntriesByName('strata:catalog-rendered')[0]?.startTime ?? NaN,
    );
    const sortMs = (await page.evaluate(SORT_SCRIPT)) as number;
    return { renderedMs, sortMs };
  } finally {
    await page.close();
  }
}

async function scrollFrames(
  browser: Browser,
  url: string,
): Promise<{ gaps: number[]; draws: number[]; idle: number[]; rendered: number }> {
  const page = await openCatalog(browser, url);
  try {
    return (await page.evaluate(SCROLL_SCRIPT)) as {
      gaps: number[];
      draws: number[];
      idle: number[];
      rendered: number;
    };
  } finally {
    await page.close();
  }
}

export const catalogBenchmark: Benchmark = {
  name: 'catalog',
  description: `asset catalog of ${UI_ASSETS.toLocaleString('en-US')} assets in headless Chromium: navigation to rows, sort, scroll`,
  async run(context: BenchContext): Promise<BenchResult> {
    context.log('building the 10,000-asset fixture...');
    const fixture = await largeGraphFixture(context);
    const browser = await launchChromium();
    try {
      const url = fixture.server.url;
      await loadCatalog(browser, url); // warm-up: server caches, Chromium's code cache
      const loads: { renderedMs: number; sortMs: number }[] = [];
      const floors: number[] = [];
      for (let i = 0; i < PAGE_LOADS; i++) {
        loads.push(await loadCatalog(browser, url));
        floors.push(await fetchAndParse(browser, url, '/api/assets'));
        context.log(
          `  load ${i + 1}: rows ${loads.at(-1)!.renderedMs.toFixed(0)} ms, sort ${loads.at(-1)!.sortMs.toFixed(0)} ms`,
        );
      }
      const scroll = await scrollFrames(browser, url);
      const gaps = summarize(scroll.gaps);
      const idle = summarize(scroll.idle);
      const draws = summarize(scroll.draws);
      const sort = summarize(loads.map((load) => load.sortMs));
      return {
        name: 'catalog',
        metric: 'ms from navigation to the first rows drawn',
        unit: 'ms',
        ours: {
          label: 'catalog page, rows drawn',
          summary: summarize(loads.map((l) => l.renderedMs)),
        },
        baseline: {
          label: 'the same page fetching and parsing /api/assets',
          summary: summarize(floors),
        },
        target: { value: RENDERED_TARGET_MS, kind: 'max' },
        details: [
          `sort ${UI_ASSETS.toLocaleString('en-US')} rows by a header click to the next frame: median ${formatNumber(sort.median)} ms (max ${formatNumber(sort.max)})`,
          `scrolling 900 px per frame, ${SCROLL_FRAMES} frames: drawing the rows in view ${formatNumber(draws.median)} ms per frame (max ${formatNumber(draws.max)}); frame interval median ${formatNumber(gaps.median)} ms, max ${formatNumber(gaps.max)} ms (idle, not scrolling: median ${formatNumber(idle.median)} ms, max ${formatNumber(idle.max)} ms); ${scroll.rendered} rows in the page`,
        ],
        data: { sortMs: sort, scrollDrawMs: draws, scrollFrameMs: gaps, idleFrameMs: idle },
      };
    } finally {
      await browser.close();
      await fixture.close();
    }
  },
};
