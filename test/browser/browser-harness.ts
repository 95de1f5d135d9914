// Helpers of the browser tests: a real `strata serve` process (the built UI and the API, on an
// ephemeral port of 127.0.0.1, against the test database), Debian's Chromium driven by
// playwright-core (test/support/chromium.ts), and screenshots kept under test-results/screenshots as artifacts of the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../cli/cli-harness.js';

/** Where screenshots are written (kept by CI as artifacts). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');

export { launchChromium } from '../support/chromium.js';

/** A page of the usual size whose console errors and uncaught exceptions go into `errors`. */
export async function openPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return page;
}

/** A running `strata serve`. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** What the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `strata serve --port 0 --json` on the engineering example and waits for its URL. */
export async function startServe(options: {
  databaseUrl: string;
  env?: Record<string, string>;
  args?: readonly string[];
}): Promise<ServeProcess> {
  const home = await mkdtemp(path.join(tmpdir(), 'strata-browser-'));
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin/strata.js'),
      'serve',
      '--port',
      '0',
      '--json',
      ...(options.args ?? []),
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NO_COLOR: '1',
        DATABASE_URL: options.databaseUrl,
        STRATA_HOME: path.join(home, 'strata'),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const firstLine = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    void exited.then((code) =>
      reject(new Error(`strata serve exited (${code}) before printing its URL:\n${stderr}`)),
    );
  });
  const { url } = JSON.parse(await firstLine) as { url: string };
  return {
    url,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
