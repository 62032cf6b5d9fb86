import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's chromium, which `.ci/run` installs where missing (Playwright cannot download browsers here). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run. In CI the browser must be there (a missing one fails the
 * run); elsewhere the tests are skipped with a note saying how to get it.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
  return false;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // without the background-networking flags Chromium keeps calling out, and this machine has no internet
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A browser context that behaves as if offline: every request to anything but this machine is
 * refused and remembered, so a test can prove a page needs no internet.
 */
export async function offlineContext(browser: Browser): Promise<{ context: BrowserContext; refused: string[] }> {
  const context = await browser.newContext();
  const refused: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['localhost', '127.0.0.1'].includes(url.hostname) || url.protocol === 'blob:' || url.protocol === 'data:') return route.continue();
    refused.push(url.href);
    return route.abort('internetdisconnected');
  });
  return { context, refused };
}
