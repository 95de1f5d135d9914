// Headless Chromium for the browser tests and the UI benchmark: Debian's package (installed by
// .ci/run) driven by playwright-core, which downloads no browser of its own.
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Chromium: $STRATA_CHROMIUM, else Debian's package. */
export const CHROMIUM_PATH = process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a closed network and a root user: no sandbox (root), no GPU, and none of Chromium's
 * background connections (they are refused here and would slow every start).
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; fails with the install command when it is missing. */
export async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with 'apt-get install -y chromium' (as .ci/run does) or set STRATA_CHROMIUM`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}
