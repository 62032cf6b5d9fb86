import fs from 'node:fs';
import { CHROMIUM, launchChromium } from '../test/support/browser.js';

export interface ConsoleRender {
  /** GraphQL requests the screen made on load. */
  requests: number;
  /** From navigation start until its one answer arrived, median ms. */
  answerMs: number;
  /** From the answer's last byte until every row is in the page, median ms. */
  renderMs: number;
}

/**
 * The console's mappings screen with `rows` rows in headless Chromium, loaded `times` times:
 * measured in the page (resource timing for the answer, a MutationObserver for the rows).
 * Null when Debian's chromium is not installed.
 */
export async function measureConsoleRender(base: string, token: string, rows: number, times = 3): Promise<ConsoleRender | null> {
  if (!fs.existsSync(CHROMIUM)) return null;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(
      ({ token, rows }) => {
        sessionStorage.setItem('arrow-waldur-console.token', token);
        (window as unknown as { rendered: Promise<number> }).rendered = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (document.querySelectorAll('tbody.mapping').length >= rows) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
        });
      },
      { token, rows },
    );
    const page = await context.newPage();
    const answers: number[] = [];
    const renders: number[] = [];
    let requests = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/graphql') requests++;
    });
    for (let i = 0; i < times; i++) {
      requests = 0;
      await page.goto(`${base}/#/mappings?rows=${rows}`);
      if (i > 0) await page.reload();
      const renderedAt = await page.evaluate(() => (window as unknown as { rendered: Promise<number> }).rendered);
      const answeredAt = await page.evaluate(() => Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/graphql')).map((e) => (e as PerformanceResourceTiming).responseEnd)));
      answers.push(answeredAt);
      renders.push(renderedAt - answeredAt);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { requests, answerMs: median(answers), renderMs: median(renders) };
  } finally {
    await browser.close();
  }
}
