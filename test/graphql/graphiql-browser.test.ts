import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startSeededGateway, type TestGateway } from '../support/gateway.js';
import { listen } from '../support/http.js';
import { browserAvailable, launchChromium, offlineContext } from '../support/browser.js';
import { GRAPHIQL_TITLE } from '../../src/graphql/yoga.js';
import { record } from '../support/secret-scan.js';
import type { Locator } from 'playwright-core';

/** What an editor shows (Monaco draws spaces as no-break spaces). */
const shown = async (editor: Locator) => (await editor.innerText()).replace(/\u00a0/g, ' ');

/** GraphiQL as a new user meets it: in a real browser, on a machine without internet. */
describe.runIf(browserAvailable())('GraphiQL in a browser, offline', () => {
  let gw: TestGateway;
  let http: { base: string; close(): Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    ({ gw } = await startSeededGateway(2, '2026-10'));
    http = await listen(gw.server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await http?.close();
    await gw?.close();
  });

  it('loads with no request leaving the machine, opens on the screen query with the header to fill in, and runs it with a typed token', async () => {
    const { context, refused } = await offlineContext(browser);
    const page = await context.newPage();
    await page.goto(`${http.base}/graphql`);
    expect(await page.title()).toBe(GRAPHIQL_TITLE);

    // the query editor holds the whole-screen query, the Headers tab the Authorization template
    const queryEditor = page.locator('.graphiql-query-editor');
    await expect.poll(() => shown(queryEditor), { timeout: 20_000 }).toContain('query MappingsScreen');
    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await expect.poll(() => shown(headersEditor)).toContain('"Authorization": "Token <paste your staff token here>"');

    // a new user replaces the template with their token and runs the default query
    await headersEditor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Token ${gw.staffToken}` }));
    record('token', gw.staffToken);
    const answered = page.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('MappingsScreen'));
    await page.getByRole('button', { name: /^Execute query/ }).click();
    const response = await answered;
    const body = await response.json();
    record('body', JSON.stringify(body));
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer).toEqual({ username: 'staff', isStaff: true });
    expect(body.data.customerMappings.totalCount).toBe(2);

    const result = page.locator('.graphiql-response');
    await expect.poll(() => shown(result), { timeout: 10_000 }).toContain('"totalCount": 2');
    expect(refused).toEqual([]);
    await context.close();
  }, 60_000);
});
