// Backfills in the lineage browser, in real Chromium against a real `strata serve` (its own
// backfill drivers, no daemon) on a fixture steered through files: a backfill started from the
// form (after the server's 400 is shown beside it, naming the field) is followed live to
// succeeded without a reload, with per-asset counts equal to the API's; Pause and Resume change
// its state (a paused backfill launches nothing more); a failing target is listed as failed and
// Retry failed relaunches it alone; a read-only server shows the buttons disabled and a viewer's
// token shows none. Screenshots of each page are kept.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackfillDetail, RunPage, RunSummary } from '../../lineage/src/api/types.js';
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
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/browser/backfill-assets.ts');
let control: string;
let serve: ServeProcess;
let readOnly: ServeProcess | undefined;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
/** Backfills the later tests reuse. */
const made: { paused?: number } = {};

/** `raw_days` computes while this file exists (docs: the fixture). */
const openGate = () => writeFile(path.join(control, 'gate-open'), '');
const closeGate = () => rm(path.join(control, 'gate-open'), { force: true });
const failDay = (day: string) => writeFile(path.join(control, `fail-${day}`), '');
const healDay = (day: string) => rm(path.join(control, `fail-${day}`), { force: true });

async function api<T>(route: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${serve.url}${route}`, {
    method: init.method ?? 'GET',
    headers: { 'Content-Type': 'application/json', Origin: serve.url },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The runs a backfill launched (trigger reason `backfill ID`). */
async function runsOf(id: number): Promise<RunSummary[]> {
  const runs = await api<RunPage>('/api/runs?limit=200');
  return runs.items.filter((r) => r.trigger === 'backfill' && r.triggerReason === `backfill ${id}`);
}

/** The id of the backfill page shown. */
function shownBackfill(): number {
  const match = /#\/backfills\/(\d+)$/.exec(page.url());
  if (match === null) throw new Error(`not a backfill page: ${page.url()}`);
  return Number(match[1]);
}

const summary = (p: Page = page) => p.locator('.backfill-summary');
const statusIs = (status: string, p: Page = page) =>
  p.locator(`.backfill-summary[data-status="${status}"]`).waitFor({ timeout: 60_000 });
const actionButton = (action: string, p: Page = page) =>
  p.locator(`.backfill-actions button[data-action="${action}"]`);

/** Fills the start form (empty values are left out) and submits it. */
async function submitForm(values: {
  selection?: string;
  from?: string;
  to?: string;
  force?: boolean;
  chunkSize?: number;
  maxRuns?: number;
}): Promise<void> {
  const form = page.locator('form.backfill-form');
  if (values.selection !== undefined)
    await form.locator('input[name="selection"]').fill(values.selection);
  await form.locator('input[name="from"]').fill(values.from ?? '');
  await form.locator('input[name="to"]').fill(values.to ?? '');
  await form.locator('input[name="chunkSize"]').fill(String(values.chunkSize ?? ''));
  await form.locator('input[name="maxRuns"]').fill(String(values.maxRuns ?? ''));
  await form.locator('input[name="force"]').setChecked(values.force === true);
  await form.getByRole('button', { name: 'Start backfill' }).click();
}

/** Runs the built CLI on the fixture and the test database. */
function strata(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'bin/strata.js'), ...args],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          NO_COLOR: '1',
          DATABASE_URL: database.url,
          STRATA_DEFINITIONS: FIXTURE,
          STRATA_HOME: path.join(control, 'home'),
        },
      },
      (error, stdout, stderr) =>
        error === null
          ? resolve(stdout)
          : reject(new Error(`strata ${args.join(' ')} failed: ${error.message}\n${stderr}`)),
    );
  });
}

beforeAll(async () => {
  control = await mkdtemp(path.join(tmpdir(), 'strata-backfills-ui-'));
  await openGate();
  [serve, browser] = await Promise.all([
    startServe({
      databaseUrl: database.url,
      env: { STRATA_DEFINITIONS: FIXTURE, BACKFILL_UI_CONTROL: control },
    }),
    launchChromium(),
  ]);
  page = await openPage(browser, consoleErrors);
}, 60_000);

afterAll(async () => {
  // A step waiting at the gate would keep the servers from stopping (running steps finish).
  if (control !== undefined) await openGate();
  await browser?.close();
  await readOnly?.stop();
  await serve?.stop();
});

describe('backfills in the lineage browser', () => {
  it('starts a backfill from the form (after showing the 400 beside it) and follows it to succeeded live', async () => {
    await page.goto(`${serve.url}/#/backfills`);
    await page.locator('.backfills-empty').waitFor();
    expect(await page.locator('.backfills-empty').textContent()).toContain(
      'No backfills yet — start one with strata backfill SELECTION --from … --to … or the form.',
    );
    expect(await page.locator('nav a.active').textContent()).toBe('Backfills');
    await screenshot(page, 'backfills-01-empty');

    await page.getByRole('button', { name: 'New backfill…' }).click();
    await submitForm({ selection: 'raw_days', from: 'd99' });
    const refusal = page.locator('.backfill-form-problem [role="alert"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(
      'from: --from "d99": asset raw_days has no such partition',
    );
    expect(await page.locator('input[name="from"]').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toMatch(/#\/backfills$/);
    await screenshot(page, 'backfills-02-form-refused');

    // The gate holds raw_days: the backfill is seen running before it is seen done.
    await closeGate();
    await page.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'no reload'));
    await submitForm({ from: 'd01', to: 'd04', force: true, chunkSize: 1, maxRuns: 1 });
    await page.waitForURL(/#\/backfills\/\d+$/);
    const id = shownBackfill();
    await statusIs('running');
    await page.locator('.backfill-runs a[href^="#/runs/"]').first().waitFor();
    expect(await summary().locator('.backfill-progress').getAttribute('data-done')).toBe('0');
    expect(await page.locator('.backfill-settings').textContent()).toContain(
      '--from d01 · --to d04',
    );
    await screenshot(page, 'backfills-03-running');

    await openGate();
    await statusIs('succeeded');
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).toBe(
      'no reload',
    );
    expect(await page.locator('.backfill-runs').textContent()).toBe('No runs in flight.');
    expect(await page.locator('.backfill-actions').count()).toBe(0);

    // The table says what the API says.
    const detail = await api<BackfillDetail>(`/api/backfills/${id}`);
    expect(detail.totals).toMatchObject({ targets: 4, done: 4, failed: 0, remaining: 0 });
    for (const asset of detail.assets) {
      const row = page.locator(`table.backfill-assets tr[data-asset="${asset.key}"]`);
      const cell = (field: string) => row.locator(`td[data-field="${field}"]`).textContent();
      expect({
        targets: Number(await cell('targets')),
        done: Number(await cell('done')),
        failed: Number(await cell('failed')),
        held: Number(await cell('held')),
        remaining: Number(await cell('remaining')),
      }).toEqual({
        targets: asset.targets,
        done: asset.done,
        failed: asset.failed,
        held: asset.held,
        remaining: asset.remaining,
      });
    }
    expect(await page.locator('table.backfill-assets tbody tr').count()).toBe(detail.assets.length);
    await screenshot(page, 'backfills-04-succeeded');

    // The list: newest first, with who, the bar and the runs in flight.
    await page.locator('nav a[data-nav="backfills"]').click();
    const row = page.locator(`table.backfills tr[data-backfill="${id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('succeeded');
    expect(await row.locator('.backfill-progress').getAttribute('data-done')).toBe('4');
    expect(await row.textContent()).toContain('local');
    expect(await row.locator('td[data-field="runs-in-flight"]').textContent()).toBe('0');
  });

  it('pauses a running backfill (nothing more launches) and resumes it to the end', async () => {
    await closeGate();
    // The asset page's "Backfill…" opens the form filled with the asset.
    await page.goto(`${serve.url}/#/assets/raw_days`);
    await page.locator('a.backfill-link').click();
    await page.waitForURL(/#\/backfills\?select=raw_days$/);
    expect(await page.locator('input[name="selection"]').inputValue()).toBe('raw_days');
    await submitForm({ from: 'd05', to: 'd08', force: true, chunkSize: 1, maxRuns: 1 });
    await page.waitForURL(/#\/backfills\/\d+$/);
    const id = shownBackfill();
    await statusIs('running');
    await page.locator('.backfill-runs a[href^="#/runs/"]').first().waitFor();
    expect(await actionButton('resume').count()).toBe(0);

    await actionButton('pause').click();
    await statusIs('paused');
    expect(await actionButton('pause').count()).toBe(0);
    await actionButton('resume').waitFor();
    await actionButton('cancel').waitFor();
    expect((await api<BackfillDetail>(`/api/backfills/${id}`)).status).toBe('paused');

    // Its run in flight finishes and is counted; no new chunk starts.
    await openGate();
    await page.locator('.backfill-runs', { hasText: 'No runs in flight.' }).waitFor();
    const paused = await api<BackfillDetail>(`/api/backfills/${id}`);
    expect(paused).toMatchObject({ status: 'paused', runsInFlight: [] });
    expect(paused.totals).toMatchObject({ done: 1, remaining: 3, launched: 0 });
    expect(await runsOf(id)).toHaveLength(1);
    expect(await summary().locator('.backfill-progress').getAttribute('data-done')).toBe('1');
    await screenshot(page, 'backfills-05-paused');

    await actionButton('resume').click();
    await statusIs('succeeded');
    expect(await summary().locator('.backfill-progress').getAttribute('data-done')).toBe('4');
    expect(await runsOf(id)).toHaveLength(4);
  });

  it('lists a failing target and Retry failed relaunches it alone', async () => {
    await failDay('d03');
    await page.goto(`${serve.url}/#/backfills`);
    await page.getByRole('button', { name: 'New backfill…' }).click();
    await submitForm({
      selection: 'daily_report',
      from: 'd01',
      to: 'd04',
      chunkSize: 2,
      maxRuns: 2,
    });
    await page.waitForURL(/#\/backfills\/\d+$/);
    const id = shownBackfill();
    await statusIs('failed');
    const failed = page.locator(
      'table.backfill-problems tr[data-asset="daily_report"][data-partition="d03"]',
    );
    await failed.waitFor();
    expect(await page.locator('table.backfill-problems tbody tr').count()).toBe(1);
    expect(await failed.getAttribute('data-state')).toBe('failed');
    expect(await failed.textContent()).toContain('the report of d03 has no readings');
    expect(await failed.locator('a').first().getAttribute('href')).toBe('#/assets/daily_report');
    expect(await actionButton('pause').count()).toBe(0);
    expect(await actionButton('cancel').count()).toBe(0);
    const before = await runsOf(id);
    await screenshot(page, 'backfills-06-failed');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'backfills-06-failed-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await healDay('d03');
    await actionButton('retry').click();
    await statusIs('succeeded');
    await page.locator('.backfill-no-problems').waitFor();
    const after = await runsOf(id);
    const relaunched = after.filter((r) => !before.some((b) => b.runId === r.runId));
    expect(relaunched.map((r) => r.selection)).toEqual(['daily_report[d03]']);
    const detail = await api<BackfillDetail>(`/api/backfills/${id}`);
    expect(detail.totals).toMatchObject({ targets: 4, done: 4, failed: 0 });
  });

  it('shows the actions disabled on a read-only server', async () => {
    await closeGate();
    const created = await api<BackfillDetail>('/api/backfills', {
      method: 'POST',
      body: { selection: 'raw_days', force: true, chunkSize: 1, maxRuns: 1 },
    });
    await api<BackfillDetail>(`/api/backfills/${created.id}/pause`, { method: 'POST' });
    made.paused = created.id;
    readOnly = await startServe({
      databaseUrl: database.url,
      env: { STRATA_DEFINITIONS: FIXTURE, BACKFILL_UI_CONTROL: control },
      args: ['--read-only'],
    });
    const other = await openPage(browser, consoleErrors);
    await other.goto(`${readOnly.url}/#/backfills/${created.id}`);
    await statusIs('paused', other);
    for (const action of ['resume', 'cancel']) {
      await actionButton(action, other).waitFor();
      expect(await actionButton(action, other).isDisabled()).toBe(true);
      expect(await actionButton(action, other).getAttribute('title')).toContain('read-only');
    }
    await screenshot(other, 'backfills-07-read-only');
    await other.goto(`${readOnly.url}/#/backfills?select=raw_days`);
    const start = other.getByRole('button', { name: 'Start backfill' });
    await start.waitFor();
    expect(await start.isDisabled()).toBe(true);
    await other.close();
    await readOnly.stop();
    readOnly = undefined;
  });

  it("shows a viewer's token no action at all", async () => {
    const created = JSON.parse(
      await strata(['tokens', 'create', 'viewer-1', '--role', 'viewer', '--json']),
    ) as { token: string };
    // The server closes within seconds of the first named token.
    await expect
      .poll(async () => (await fetch(`${serve.url}/api/backfills`)).status, { timeout: 15_000 })
      .toBe(401);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const viewer = await context.newPage();
    await viewer.goto(`${serve.url}/?token=${created.token}`);
    await viewer.goto(`${serve.url}/#/backfills/${made.paused!}`);
    await statusIs('paused', viewer);
    await expect.poll(() => viewer.locator('.whoami').textContent()).toBe('viewer-1 · viewer');
    expect(await viewer.locator('.backfill-actions').count()).toBe(0);
    expect(await viewer.locator('.backfill-actions button').count()).toBe(0);
    await screenshot(viewer, 'backfills-08-viewer');

    await viewer.goto(`${serve.url}/#/backfills`);
    await viewer.locator(`table.backfills tr[data-backfill="${made.paused!}"]`).waitFor();
    expect(await viewer.getByRole('button', { name: 'New backfill…' }).isVisible()).toBe(false);
    await viewer.goto(`${serve.url}/#/backfills?select=raw_days`);
    await viewer.locator('.backfill-form-refused').waitFor();
    expect(await viewer.locator('.backfill-form-refused').textContent()).toContain(
      'As viewer-1 (viewer) you may look at backfills, not start or change them',
    );
    expect(await viewer.locator('form.backfill-form').count()).toBe(0);
    await context.close();
  });

  it('wrote no console errors (but the refused POST the first test asked for)', () => {
    const refused = 'Failed to load resource: the server responded with a status of 400';
    expect(consoleErrors.filter((e) => !e.startsWith(refused))).toEqual([]);
    expect(consoleErrors.filter((e) => e.startsWith(refused))).toHaveLength(1);
  });
});
