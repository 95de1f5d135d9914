// Token mode in a real browser: `strata serve` with STRATA_TOKEN refuses a page without the
// token, and opening the printed URL (?token=...) once sets the cookie that every later request,
// the live event stream included, carries.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { launchChromium, screenshot, startServe, type ServeProcess } from './browser-harness.js';

const TOKEN = 'browser-test-token-0123456789abcdef';
const database = useTestDatabase();
let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  [serve, browser] = await Promise.all([
    startServe({ databaseUrl: database.url, env: { STRATA_TOKEN: TOKEN } }),
    launchChromium(),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the lineage browser in token mode', () => {
  it('refuses the page without the token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(serve.url);
    expect(response?.status()).toBe(401);
    await context.close();
  });

  it('starts a session from the printed URL (its cookie never holds the token) and works, live events included', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${serve.url}/?token=${TOKEN}`);
    expect(new URL(page.url()).search).toBe(''); // the token left the address bar
    await page.locator('.graph-view[data-ready="true"]').waitFor();
    await expect.poll(() => page.locator('.live-indicator').textContent()).toBe('live');
    const cookie = (await context.cookies()).find((c) => c.name === 'strata_session');
    expect(cookie?.value).not.toContain(TOKEN);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    await screenshot(page, '08-token-mode');
    await context.close();
  });
});
