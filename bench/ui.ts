// ui and api: the lineage browser on a 10,000-asset graph (bench/ui-fixture.ts).
//
// ui: in headless Chromium (Debian's, via playwright-core), from navigation to the first frame of
// the graph, and to "interactive": the first frame drawn in answer to a wheel zoom issued right
// after that. Baseline: what any UI must pay first, the same page fetching and parsing the graph
// document it reads (GET /api/graph). Details: the old baseline (fetching and parsing
// /api/assets), the first zoom's frame and longest task, frame cost while panning with all
// 10,000 nodes on screen.
//
// api: GET /api/graph (statuses, layout, 10,000 assets in columns) against the same bytes served
// as a static file by the same server; details: gzipped, 304 to If-None-Match, the first request
// after a write that changes what statuses depend on, and GET /api/assets against its static copy.
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/support/chromium.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { addDynamicPartitions } from '../src/provenance/index.js';
import { formatNumber, interleave, summarize, timed, type Summary } from './support/stats.js';
import { largeGraphFixture, UI_ASSETS } from './ui-fixture.js';

/** The target of issue 13: 10,000 assets render and pan/zoom interactively within 1.5 s. */
const INTERACTIVE_TARGET_MS = 1_500;
/** The target of issue 13 for the graph's document at 10,000 assets. */
const API_TARGET_MS = 250;
/** Page loads measured (each a new page). */
const PAGE_LOADS = 5;
const VIEWPORT = { width: 1600, height: 1000 };

/**
 * A page-side condition: the graph canvas drew a frame after frame number `frames` (evaluated
 * from a string, so the pages are opened with bypassCSP: the UI's CSP forbids eval).
 */
function nextFrame(frames: number): string {
  return `Number(document.querySelector('.graph-canvas').dataset.frames) > ${frames}`;
}

/** Collects long tasks (over 50 ms) from the start of the page (bypassCSP allows it). */
const LONG_TASKS = `window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: 'longtask', buffered: true });`;

interface PageLoad {
  /** Navigation start to the graph's first frame. */
  readonly firstRenderMs: number;
  /** Drawing the frame that answers the first wheel zoom. */
  readonly zoomFrameMs: number;
  /** The longest task from the wheel event to that frame (0: none over 50 ms). */
  readonly zoomLongTaskMs: number;
  /** Navigation start to the first frame drawn after a wheel zoom sent at first render. */
  readonly interactiveMs: number;
  /** Navigation start to the asset document parsed. */
  readonly dataMs: number;
  /** Laying out and indexing the graph as first shown (its groups closed). */
  readonly modelMs: number;
}

async function loadGraph(browser: Browser, url: string): Promise<PageLoad> {
  const page = await browser.newPage({ viewport: VIEWPORT, bypassCSP: true });
  try {
    await page.addInitScript(LONG_TASKS);
    await page.goto(url);
    await page.locator('.graph-view[data-ready="true"]').waitFor({ timeout: 60_000 });
    const frames = Number(await page.locator('.graph-canvas').getAttribute('data-frames'));
    await page.mouse.move(800, 500);
    const wheelAt = Number(await page.evaluate('performance.now()'));
    await page.mouse.wheel(0, -120);
    await page.waitForFunction(nextFrame(frames));
    const marks = await page.evaluate(() => ({
      rendered: performance.getEntriesByName('strata:graph-rendered')[0]?.startTime ?? NaN,
      data: performance.getEntriesByName('strata:graph-data')[0]?.startTime ?? NaN,
      now: performance.now(),
    }));
    const modelMs = Number(await page.locator('.graph-view').getAttribute('data-model-ms'));
    const zoomFrameMs = Number(await page.locator('.graph-canvas').getAttribute('data-frame-ms'));
    const tasks = (await page.evaluate('window.__longTasks')) as [number, number][];
    const zoomLongTaskMs = Math.max(
      0,
      ...tasks.filter(([start, ms]) => start + ms >= wheelAt).map(([, ms]) => ms),
    );
    return {
      firstRenderMs: marks.rendered,
      zoomFrameMs,
      zoomLongTaskMs,
      interactiveMs: marks.now,
      dataMs: marks.data,
      modelMs,
    };
  } finally {
    await page.close();
  }
}

/** Baseline: a page of the same origin fetching and parsing a document of the API. */
export async function fetchAndParse(browser: Browser, url: string, path: string): Promise<number> {
  const page = await browser.newPage({ viewport: VIEWPORT, bypassCSP: true });
  try {
    await page.goto(`${url}/assets-document.json`);
    return await page.evaluate(async (path) => {
      const start = performance.now();
      // A new page is a new browser context: nothing cached, as on a first visit.
      const response = await fetch(path);
      const document = (await response.json()) as object;
      if (Object.keys(document).length === 0) throw new Error('an empty document');
      return performance.now() - start;
    }, path);
  } finally {
    await page.close();
  }
}

/**
 * Frame cost while dragging the whole graph around at fit-all zoom, every group open (#/?open=*);
 * and what opening every group costs: "Expand all" clicked on the closed graph to the frame.
 */
async function panFrames(
  browser: Browser,
  url: string,
): Promise<{ frameMs: number[]; drawn: number; expandMs: number; expandedModelMs: number }> {
  const page = await browser.newPage({ viewport: VIEWPORT, bypassCSP: true });
  try {
    await page.goto(url);
    await page.locator('.graph-view[data-ready="true"]').waitFor({ timeout: 60_000 });
    const before = Number(await page.locator('.graph-canvas').getAttribute('data-frames'));
    const clicked = await page.evaluate('performance.now()');
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.waitForFunction(nextFrame(before));
    const expandMs = Number(await page.evaluate('performance.now()')) - Number(clicked);
    const expandedModelMs = Number(await page.locator('.graph-view').getAttribute('data-model-ms'));
    await page.goto(`${url}/#/?open=*`);
    await page.reload();
    await page.locator('.graph-view[data-ready="true"]').waitFor({ timeout: 60_000 });
    const canvas = page.locator('.graph-canvas');
    const frameMs: number[] = [];
    await page.mouse.move(800, 500);
    await page.mouse.down();
    for (let i = 1; i <= 30; i++) {
      const frames = Number(await canvas.getAttribute('data-frames'));
      await page.mouse.move(800 + (i % 2 === 0 ? 40 : -40), 500 + i);
      await page.waitForFunction(nextFrame(frames));
      frameMs.push(Number(await canvas.getAttribute('data-frame-ms')));
    }
    await page.mouse.up();
    return {
      frameMs,
      drawn: Number(await canvas.getAttribute('data-drawn-nodes')),
      expandMs,
      expandedModelMs,
    };
  } finally {
    await page.close();
  }
}

export const uiBenchmark: Benchmark = {
  name: 'ui',
  description: `graph page of ${UI_ASSETS.toLocaleString('en-US')} assets in headless Chromium: navigation to interactive`,
  async run(context: BenchContext): Promise<BenchResult> {
    context.log('building the 10,000-asset fixture...');
    const fixture = await largeGraphFixture(context);
    const browser = await launchChromium();
    try {
      const url = fixture.server.url;
      await loadGraph(browser, url); // warm-up: server caches, Chromium's code cache
      const loads: PageLoad[] = [];
      const floors: number[] = [];
      const oldFloors: number[] = [];
      for (let i = 0; i < PAGE_LOADS; i++) {
        loads.push(await loadGraph(browser, url));
        floors.push(await fetchAndParse(browser, url, '/api/graph'));
        oldFloors.push(await fetchAndParse(browser, url, '/api/assets'));
        context.log(
          `  load ${i + 1}: first frame ${loads.at(-1)!.firstRenderMs.toFixed(0)} ms, interactive ${loads.at(-1)!.interactiveMs.toFixed(0)} ms`,
        );
      }
      const pan = await panFrames(browser, url);
      const frames = summarize(pan.frameMs);
      const interactive = summarize(loads.map((l) => l.interactiveMs));
      const oldFloor = summarize(oldFloors);
      return {
        name: 'ui',
        metric: 'ms from navigation to the first frame answering a zoom',
        unit: 'ms',
        ours: { label: 'graph page, interactive', summary: interactive },
        baseline: {
          label: 'the same page fetching and parsing /api/graph',
          summary: summarize(floors),
        },
        target: { value: INTERACTIVE_TARGET_MS, kind: 'max' },
        details: [
          `against the old baseline, fetching and parsing /api/assets (${formatNumber(oldFloor.median)} ms [${formatNumber(oldFloor.min)}-${formatNumber(oldFloor.max)}]): ${(interactive.median / oldFloor.median).toFixed(2)}x`,
          `first wheel zoom: its frame draws in ${formatNumber(summarize(loads.map((l) => l.zoomFrameMs)).median)} ms (max ${formatNumber(Math.max(...loads.map((l) => l.zoomFrameMs)))}); longest task from the wheel to that frame ${formatNumber(Math.max(...loads.map((l) => l.zoomLongTaskMs)))} ms (0: none over 50 ms)`,
          `first frame: median ${formatNumber(summarize(loads.map((l) => l.firstRenderMs)).median)} ms; asset document parsed at ${formatNumber(summarize(loads.map((l) => l.dataMs)).median)} ms`,
          `${UI_ASSETS.toLocaleString('en-US')} assets, ${fixture.edges.toLocaleString('en-US')} edges; viewport ${VIEWPORT.width}x${VIEWPORT.height}`,
          `first shown closed to its groups: layout ${formatNumber(summarize(loads.map((l) => l.modelMs)).median)} ms`,
          `"Expand all" to its frame: ${formatNumber(pan.expandMs)} ms (layout of every asset ${formatNumber(pan.expandedModelMs)} ms)`,
          `every group open (#/?open=*), panning with ${pan.drawn.toLocaleString('en-US')} nodes on screen: draw ${formatNumber(frames.median)} ms per frame (max ${formatNumber(frames.max)})`,
        ],
      };
    } finally {
      await browser.close();
      await fixture.close();
    }
  },
};

/** GETs `url` with `headers`, reads the body; returns the response. */
async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (!response.ok && response.status !== 304) throw new Error(`${url}: ${response.status}`);
  return response;
}

/** `summary` as "median ms [min-max]". */
function ms(summary: Summary): string {
  return `${formatNumber(summary.median)} ms [${formatNumber(summary.min)}-${formatNumber(summary.max)}]`;
}

export const apiBenchmark: Benchmark = {
  name: 'api',
  description: `GET /api/graph with ${UI_ASSETS.toLocaleString('en-US')} assets (statuses and layout, in columns)`,
  async run(context: BenchContext): Promise<BenchResult> {
    context.log('building the 10,000-asset fixture...');
    const fixture = await largeGraphFixture(context);
    try {
      const api = fixture.server.url;
      const identity = { 'Accept-Encoding': 'identity' };
      const etag = (await get(`${api}/api/graph`, identity)).headers.get('etag') ?? '';
      const reps = context.reps * 2;
      const [graph, graphStatic, gzipped, unchanged, assets, assetsStatic] = await interleave(
        2,
        reps,
        [
          () => get(`${api}/api/graph`, identity),
          () => get(fixture.staticGraphUrl, identity),
          () => get(`${api}/api/graph`, { 'Accept-Encoding': 'gzip' }),
          () => get(`${api}/api/graph`, { ...identity, 'If-None-Match': etag }),
          () => get(`${api}/api/assets`, identity),
          () => get(fixture.staticDocumentUrl, identity),
        ],
      );
      // The first request after a write the statuses depend on (a dynamic partition added):
      // statuses evaluated again, the document rendered and hashed again.
      const afterWrite: number[] = [];
      for (let i = 0; i < reps; i++) {
        await addDynamicPartitions(fixture.database.db, 'bench_touch', [`p${i}`]);
        afterWrite.push((await timed(() => get(`${api}/api/graph`, identity))).ms);
      }
      const changed = summarize(afterWrite);
      const bytes = async (url: string, headers: Record<string, string>) =>
        Number((await fetch(url, { headers })).headers.get('content-length') ?? NaN);
      const [graphBytes, gzipBytes, assetsBytes] = [
        (await (await fetch(fixture.staticGraphUrl)).arrayBuffer()).byteLength,
        await bytes(`${api}/api/graph`, { 'Accept-Encoding': 'gzip' }),
        (await (await fetch(fixture.staticDocumentUrl)).arrayBuffer()).byteLength,
      ];
      const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
      return {
        name: 'api',
        metric: 'ms per GET /api/graph',
        unit: 'ms',
        ours: { label: 'GET /api/graph: statuses, layout, columns', summary: graph },
        baseline: {
          label: 'the same document as a static file from the same server',
          summary: graphStatic,
        },
        target: { value: API_TARGET_MS, kind: 'max' },
        details: [
          `document: ${mib(graphBytes)} (gzip ${mib(gzipBytes)}) for ${UI_ASSETS.toLocaleString('en-US')} assets and ${fixture.edges.toLocaleString('en-US')} edges; GET /api/assets ${mib(assetsBytes)}`,
          `gzipped (Accept-Encoding: gzip, unzipped by the client): ${ms(gzipped)}, ${(gzipped.median / graphStatic.median).toFixed(2)}x the static file`,
          `reload, If-None-Match with the ETag (304, no body): ${ms(unchanged)}, ${(unchanged.median / graphStatic.median).toFixed(2)}x`,
          `first request after a write the statuses depend on (evaluated again): ${ms(changed)}, ${(changed.median / graphStatic.median).toFixed(2)}x`,
          `GET /api/assets (8 MiB, statuses from the same snapshot): ${ms(assets)} against its static copy ${ms(assetsStatic)}: ${(assets.median / assetsStatic.median).toFixed(2)}x`,
        ],
      };
    } finally {
      await fixture.close();
    }
  },
};
