// Freshness and automation in the lineage browser, in real Chromium against a real `strata serve`
// (its own daemon off) while `strata daemon --once` ticks from another process: the Automation
// page shows what a tick held back and, live, what the next one launched and why; its run link
// opens a run whose trigger is automation; the runs list names triggers and reasons; an asset's
// page shows its policy in words and turns from pass to fail on its own as its deadline passes;
// the graph's legend and panel show freshness apart from status; the partitions grid filters by
// freshness. Screenshots of each page are kept. The words and timers of the pages' freshness
// helpers are checked on their own first.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetFreshness, PartitionFreshness } from '../../lineage/src/api/types.js';
import { changeTimes, lateness, nextCheckIn, policyInWords } from '../../lineage/src/freshness.js';
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
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/browser/automation-assets.ts');
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let home: string;
const consoleErrors: string[] = [];

/** Runs `strata ...args` (the built CLI) on the fixture and the test database. */
function strata(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'bin/strata.js'), ...args, '--definitions', FIXTURE],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          NO_COLOR: '1',
          DATABASE_URL: database.url,
          STRATA_HOME: path.join(home, 'strata'),
        },
      },
      (error, stdout, stderr) =>
        error === null
          ? resolve({ stdout, stderr })
          : reject(new Error(`strata ${args.join(' ')} failed: ${error.message}\n${stderr}`)),
    );
  });
}

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'strata-automation-ui-'));
  [serve, browser] = await Promise.all([
    startServe({
      databaseUrl: database.url,
      env: { STRATA_DEFINITIONS: FIXTURE, STRATA_HOME: path.join(home, 'strata') },
      // The test ticks the daemon itself, from another process.
      args: ['--no-automation'],
    }),
    launchChromium(),
  ]);
  page = await openPage(browser, consoleErrors);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** The tick rows of the Automation page (idle ticks fold into other rows). */
const tickRows = () => page.locator('table.ticks tbody tr[data-tick]');

describe("the pages' freshness helpers", () => {
  const NOW = Date.parse('2025-06-10T07:00:00Z');
  const policy = {
    maxLagMs: 6 * 3_600_000,
    warnAfterMs: 4 * 3_600_000,
    cron: null,
    timezone: null,
    description: 'maxLag 6h, warnAfter 4h',
  };
  const asset = (state: 'pass' | 'warn' | 'fail', deadline: string | null): AssetFreshness => ({
    state,
    counts: {
      pass: state === 'pass' ? 1 : 0,
      warn: state === 'warn' ? 1 : 0,
      fail: state === 'fail' ? 1 : 0,
      neverMaterialized: deadline === null ? 1 : 0,
      total: 1,
    },
    partition: null,
    overdueByMs: null,
    overdueBy: deadline === null ? 'never materialized' : null,
    deadline,
    reason: '',
    policy,
  });

  it('says a policy in words', () => {
    expect(policyInWords(policy)).toBe('never more than 6h behind; warns after 4h');
    expect(
      policyInWords({ ...policy, warnAfterMs: null, cron: '0 6 * * *', timezone: 'Europe/Berlin' }),
    ).toBe('at each tick of 0 6 * * * (Europe/Berlin), materialized within the 6h before');
  });

  it('says how late, or how long until due, from now', () => {
    expect(lateness(asset('fail', '2025-06-10T04:55:00Z'), NOW)).toBe('overdue by 2h 5m');
    expect(lateness(asset('pass', '2025-06-10T07:40:30Z'), NOW)).toBe('due in 40m 30s');
    expect(lateness(asset('fail', null), NOW)).toBe('never materialized');
  });

  it('looks again when the next deadline or warning passes, within 2 s and 1 h', () => {
    // Passing, materialized at 05:00: warns at 09:00, fails at 11:00.
    const passing = asset('pass', '2025-06-10T11:00:00Z');
    expect(changeTimes(passing)).toEqual(['2025-06-10T11:00:00Z', '2025-06-10T09:00:00.000Z']);
    expect(nextCheckIn(changeTimes(passing), NOW)).toBe(3_600_000);
    expect(nextCheckIn(['2025-06-10T07:00:10Z'], NOW)).toBe(10_250);
    expect(nextCheckIn(['2025-06-10T06:59:59Z'], NOW)).toBe(2_000);
    // A failing asset stays failing until it is materialized (a run says so); the counts of a
    // partitioned one's other partitions move, looked at every minute.
    const failing = asset('fail', '2025-06-10T04:55:00Z');
    expect(nextCheckIn(changeTimes(failing), NOW)).toBeUndefined();
    const counts = { pass: 3, warn: 0, fail: 1, neverMaterialized: 0, total: 4 };
    expect(nextCheckIn(changeTimes({ ...failing, counts }), NOW)).toBe(60_000);
    // A partition knows when it warns; with cron an asset's warning has no instant: every minute.
    const partition: PartitionFreshness = {
      state: 'pass',
      materializedAt: '2025-06-10T06:50:00Z',
      deadline: '2025-06-10T12:50:00Z',
      warnAt: '2025-06-10T10:50:00Z',
      overdueByMs: 0,
      overdueBy: null,
      reason: '',
    };
    expect(changeTimes(partition)).toEqual(['2025-06-10T12:50:00Z', '2025-06-10T10:50:00Z']);
    const cron = { ...passing, policy: { ...policy, cron: '0 6 * * *', timezone: 'UTC' } };
    expect(nextCheckIn(changeTimes(cron), NOW)).toBe(60_000);
    expect(nextCheckIn(changeTimes(null), NOW)).toBeUndefined();
  });
});

describe('freshness and automation in the lineage browser', () => {
  it('shows a tick that held an automated asset back, and why', async () => {
    const held = await strata(['daemon', '--once', '--concurrency', '1']);
    expect(held.stdout).toContain('held back:');
    await page.goto(`${serve.url}/#/automation`);
    await tickRows().first().waitFor();
    expect(await tickRows().count()).toBe(1);
    const row = tickRows().first();
    expect(await row.locator('.badge').first().textContent()).toBe('succeeded');
    expect(await row.locator('td.held li[data-asset="trend"]').textContent()).toMatch(
      /^trend waiting for readings/,
    );
    expect(await row.locator('td.launched').textContent()).toBe('–');
    const automated = page.locator('.automated-list li');
    // The list of automated assets comes with its own request: wait for it, then count.
    await automated.first().waitFor();
    expect(await automated.count()).toBe(1);
    expect(await automated.first().textContent()).toContain('trend');
    expect(await automated.first().locator('.badge.automation').textContent()).toBe('eager');
    expect(await page.locator('nav a.active').textContent()).toBe('Automation');
    await screenshot(page, '20-automation-held');
  });

  it("turns an asset's freshness from pass to fail on its own when its deadline passes", async () => {
    await strata(['materialize', 'readings,stations[north,south]']);
    await page.goto(`${serve.url}/#/assets/readings`);
    const section = page.locator('.freshness-section');
    await section.waitFor();
    expect(await section.locator('.freshness-policy').textContent()).toContain(
      'never more than 5s behind',
    );
    expect(await section.locator('dd.muted', { hasText: 'none:' }).textContent()).toBe(
      'none: rebuilt only when someone materializes it',
    );
    // Materialized a moment ago: it passes, due within 5 s…
    await section.locator('.freshness-state [data-freshness="pass"]').waitFor();
    expect(await section.locator('.lateness').textContent()).toMatch(/^due in \d/);
    await screenshot(page, '21-asset-freshness-pass');
    // …and fails once the deadline has passed, without a reload.
    await section.locator('.freshness-state [data-freshness="fail"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => section.locator('.lateness').textContent()).toMatch(/^overdue by \d/);
    expect(await section.textContent()).toContain('missed deadline');
    await screenshot(page, '22-asset-freshness-fail');
  });

  it('shows a launch of the daemon live, and its run link opens a run triggered by automation', async () => {
    await page.goto(`${serve.url}/#/automation`);
    await tickRows().first().waitFor();
    await expect.poll(() => page.locator('.live-indicator').textContent()).toBe('live');
    const launched = await strata(['daemon', '--once', '--concurrency', '1']);
    expect(launched.stdout).toMatch(/launched run \d+/);
    const runId = Number(/launched run (\d+)/.exec(launched.stdout)![1]);
    // The new tick arrives with the run's live progress (no reload, well before the 30 s poll).
    const row = page.locator(`table.ticks tbody tr[data-tick]:has(a[href="#/runs/${runId}"])`);
    await row.waitFor({ timeout: 15_000 });
    const entry = row.locator('td.launched li[data-asset="trend"]');
    expect(await entry.locator('.tag').textContent()).toBe('eager');
    expect(await entry.locator('.reason').textContent()).toBe(' never materialized');
    expect(await row.locator('td.held').textContent()).toBe('–');
    expect(await tickRows().count()).toBe(2);
    await screenshot(page, '23-automation-launched');

    await row.locator(`a[href="#/runs/${runId}"]`).click();
    await page.waitForURL(new RegExp(`#/runs/${runId}$`));
    await page.locator('.page-header h1 .badge', { hasText: 'succeeded' }).waitFor();
    expect(await page.locator('.run-trigger').textContent()).toBe('automation');
    expect(await page.locator('.run-trigger-reason li').allTextContents()).toEqual([
      'trend: eager: never materialized',
    ]);
    await screenshot(page, '24-run-triggered-by-automation');
  });

  it('names the trigger and its reason in the runs list', async () => {
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    const rows = page.locator('table.runs tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const automated = rows.first();
    expect(await automated.locator('.trigger').textContent()).toBe('automation');
    expect(await automated.locator('.trigger-reason-short').textContent()).toBe(
      'trend: eager: never materialized',
    );
    expect(await rows.nth(1).locator('.trigger').textContent()).toBe('cli');
    expect(await rows.nth(1).locator('.trigger-reason-short').count()).toBe(0);
    await screenshot(page, '25-runs-triggers');
  });

  it('shows freshness apart from status on the graph, and highlights by freshness', async () => {
    await page.getByRole('link', { name: 'Assets' }).click();
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    // readings failed its 5 s policy and a partition of stations was never materialized.
    await expect
      .poll(() => page.locator('.filter-fail').textContent(), { timeout: 15_000 })
      .toBe('fail 2');
    expect(await page.locator('.filter-pass').textContent()).toBe('pass 1');
    expect(await page.locator('.filter-automated').textContent()).toBe('automated 1');
    // Freshness is a second axis: every asset's status is fresh but stations (missing east).
    expect(await page.locator('.legend-item', { hasText: 'fresh' }).textContent()).toBe('fresh 2');

    const search = page.getByRole('searchbox', { name: 'search assets by key' });
    await search.fill('readings');
    await search.press('Enter');
    const panel = page.locator('.side-panel');
    await panel.locator('h2', { hasText: 'readings' }).waitFor();
    expect(await panel.locator('.panel-freshness').textContent()).toMatch(/^fail overdue by \d/);
    expect(await panel.textContent()).toContain('never more than 5s behind');
    await search.fill('trend');
    await search.press('Enter');
    await panel.locator('h2', { hasText: 'trend' }).waitFor();
    expect(await panel.locator('.panel-freshness').textContent()).toMatch(/^pass due in \d/);
    expect(await panel.locator('.badge.automation').textContent()).toBe('eager');

    await panel.locator('.close').click();
    await page.locator('.filter-fail').click();
    expect(await page.locator('.filter-fail').getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, '26-graph-freshness');

    // Zoomed out, cards become blocks: the failing clocks stay, as dots.
    const canvas = page.locator('.graph-canvas');
    await canvas.focus();
    while (Number(await canvas.getAttribute('data-scale')) >= 0.3) {
      const frames = await canvas.getAttribute('data-frames');
      await page.keyboard.press('-');
      await expect.poll(() => canvas.getAttribute('data-frames')).not.toBe(frames);
    }
    await screenshot(page, '26b-graph-freshness-blocks');
  });

  it('counts the partitions by freshness and filters the grid by a count', async () => {
    await page.goto(`${serve.url}/#/assets/stations`);
    const section = page.locator('.freshness-section');
    await section.waitFor();
    expect(await section.locator('.freshness-state').textContent()).toBe('fail never materialized');
    const counts = section.locator('.freshness-counts');
    expect(await counts.locator('.count-button').allTextContents()).toEqual([
      '2 pass',
      '0 warn',
      '1 fail',
    ]);
    expect(await counts.textContent()).toContain('1 never materialized');
    await expect.poll(() => page.locator('.partition-grid .cell').count()).toBe(3);
    await counts.locator('.count-button[data-freshness="fail"]').click();
    await expect.poll(() => page.locator('.partition-grid .cell').count()).toBe(1);
    const cell = page.locator('.partition-grid .cell.freshness-fail');
    expect(await cell.getAttribute('aria-label')).toBe('east missing, freshness fail');
    await cell.click();
    expect(await page.locator('.partition-freshness').textContent()).toBe(
      'fail never materialized',
    );
    await page.mouse.move(0, 0); // a hovered cell shows no colour
    await screenshot(page, '27-asset-partitions-freshness');

    await page.goto(`${serve.url}/#/assets/trend`);
    await page.locator('.freshness-section .automation-policy').waitFor();
    expect(await page.locator('.freshness-section .automation-policy').textContent()).toContain(
      'eager rebuilt by the automation daemon whenever a partition is missing or stale',
    );
    expect(await page.locator('.freshness-section .freshness-policy').textContent()).toContain(
      'never more than 1h behind; warns after 30m',
    );
  });

  it('logged no error in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
