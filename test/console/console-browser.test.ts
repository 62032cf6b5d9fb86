import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchChromium, offlineContext } from '../support/browser.js';
import { startProcess, type Started } from '../support/process.js';
import { record } from '../support/secret-scan.js';

/**
 * The staff console in a real browser against `npm start`'s demo (its own process, embedded
 * database, in-process Arrow and Waldur simulators), on a machine without internet.
 * SCREENSHOTS_DIR=docs makes it write the README's screenshots as it goes.
 */
const ADMIN_TOKEN = 'console-browser-test-admin-token-0123456789';
const shots = process.env.SCREENSHOTS_DIR;
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe.runIf(browserAvailable())('the staff console in a browser', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-browser-'));
  let gateway: Started;
  let base: string;
  let arrowSim: string;
  let browser: Browser;
  let context: BrowserContext;
  let refused: string[];
  let page: Page;
  /** GraphQL requests the page made (subscriptions apart), by operation hash. */
  let graphqlRequests: string[] = [];

  beforeAll(async () => {
    // no Arrow cache: a fault set on the simulator shows at the next screen
    gateway = startProcess('src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '', ARROW_API_URL: '', ADMIN_TOKEN, ARROW_CACHE_TTL_SECONDS: '0', ARROW_RETRIES: '0', FLOW_INTERVAL_MINUTES: '0', LOG_LEVEL: 'warn' });
    const [, url] = await gateway.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 60_000);
    base = url!.replace('localhost', '127.0.0.1');
    arrowSim = gateway.output().match(/ArrowSphere simulator at (http:\/\/127\.0\.0\.1:\d+)\//)![1]!;
    record('token', ADMIN_TOKEN);
    browser = await launchChromium();
    ({ context, refused } = await offlineContext(browser));
    page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/graphql' && r.method() === 'POST' && !(r.headers()['accept'] ?? '').includes('text/event-stream')) graphqlRequests.push(r.postDataJSON()?.extensions?.persistedQuery?.sha256Hash ?? 'query text');
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const shoot = async (name: string) => {
    if (shots) await page.screenshot({ path: path.join(shots, `console-${name}.png`) });
  };
  /** axe-core's check of the page as it stands: no serious or critical issue. */
  const accessible = async (where: string) => {
    // evaluated through the DevTools protocol: the console's CSP refuses inline scripts, as it should
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => (await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })));
    expect(violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical'), where).toEqual([]);
  };
  const mapping = (reference: string) => page.locator(`tbody[data-mapping="${reference}"]`);

  it('signs in with a staff token (a wrong one is told so) and keeps it for the tab', async () => {
    await page.goto(`${base}/`);
    await accessible('sign in');
    await page.getByLabel('Staff token').fill('not-a-token-of-anyone-0000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That token is not recognised.');
    await page.getByLabel('Staff token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Customer mappings' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('opens the mappings screen with exactly one GraphQL request, a trusted document', async () => {
    graphqlRequests = [];
    await page.reload();
    await mapping('XSP661208').waitFor();
    await page.waitForLoadState('networkidle');
    expect(graphqlRequests).toHaveLength(1);
    expect(graphqlRequests[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
    await mapping('XSP661208').getByRole('button', { expanded: false }).click();
    await shoot('mappings');
    await accessible('mappings, a row expanded');
  });

  it('links a licence from a suggestion and sees it linked, from the answer alone (one request: the link)', async () => {
    const row = mapping('XSP661208');
    const link = row.getByRole('button', { name: /^Link .+ to XSP\d+$/ }).first();
    const [, resourceName, licence] = (await link.textContent())!.match(/^Link (.+) to (XSP\d+)$/)!;
    graphqlRequests = [];
    await link.click();
    await expect.poll(() => row.getByRole('status').textContent()).toBe(`${resourceName} linked to ${licence}`);
    const licenceRow = row.getByRole('row').filter({ hasText: licence! }).first();
    await expect.poll(() => licenceRow.textContent()).toContain(resourceName);
    await page.waitForLoadState('networkidle');
    expect(graphqlRequests).toHaveLength(1);
  });

  it('imports a licence as a new resource, shown from the answer alone (one request: the import)', async () => {
    const row = mapping('XSP661208');
    const importButton = row.getByRole('button', { name: /^Import XSP\d+$/ }).first();
    const licence = (await importButton.textContent())!.replace('Import ', '');
    graphqlRequests = [];
    await importButton.click();
    await expect.poll(() => row.getByRole('status').textContent()).toMatch(new RegExp(`^${licence} imported as `));
    await expect.poll(() => row.getByRole('button', { name: `Import ${licence}` }).count()).toBe(0);
    await page.waitForLoadState('networkidle');
    expect(graphqlRequests).toHaveLength(1);
  });

  it('applies suggestions at or above a threshold after a preview of what will change', async () => {
    const rows = page.locator('tbody.mapping');
    let target = rows.first();
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      if (!(await row.getByRole('button', { expanded: true }).count())) await row.getByRole('button', { expanded: false }).click();
      if (await row.getByRole('button', { name: 'Preview' }).count()) {
        target = row;
        break;
      }
    }
    await target.getByLabel(/Apply suggestions at or above/).fill('50');
    await target.getByRole('button', { name: 'Preview' }).click();
    const planned = await target.locator('.preview li').allTextContents();
    expect(planned.length).toBeGreaterThan(0);
    expect(planned[0]).toMatch(/will be linked to XSP\d+ \(\d+%\)$/);
    await target.getByRole('button', { name: `Apply ${planned.length} suggestions` }).click();
    await expect.poll(() => target.getByRole('status').first().textContent()).toBe(`${planned.length} suggestions applied`);
  });

  it('creates a mapping from the unmapped list with the suggested customer', async () => {
    graphqlRequests = [];
    await page.goto(`${base}/#/unmapped`);
    const row = page.locator('tr[data-arrow-customer]').first();
    await row.waitFor();
    expect(graphqlRequests).toHaveLength(1);
    await shoot('unmapped');
    await accessible('unmapped customers');
    const reference = await row.getAttribute('data-arrow-customer');
    const name = (await row.getByRole('rowheader').textContent())!.split(' XSP')[0]!;
    graphqlRequests = [];
    await row.getByRole('button', { name: `Create mapping for ${name}` }).click();
    // confirmed in its row from the answer alone: one request, the create
    await expect.poll(() => row.getByRole('status').textContent()).toMatch(/^Mapped to .+/);
    await page.waitForLoadState('networkidle');
    expect(graphqlRequests).toHaveLength(1);
    await page.goto(`${base}/#/mappings`);
    await expect.poll(() => mapping(reference!).count()).toBe(1);
  });

  it('says so when a search finds no mapping', async () => {
    await page.getByLabel('Search by Arrow company').fill('no company is called this');
    await expect.poll(() => page.locator('p.empty').textContent()).toBe('No mapping\'s Arrow company matches “no company is called this”.');
    await page.getByLabel('Search by Arrow company').fill('');
    // the list comes back: the next test must not look for its row while the search still hides it
    await mapping('XSP661208').waitFor();
  });

  it('marks a licence another resource holds in the link list, and calls linking it a move', async () => {
    const row = mapping('XSP661208');
    // counted before the row is there, the collapsed button is not found and the row stays shut
    await row.waitFor();
    if ((await row.getByRole('button', { expanded: false }).count()) > 0) await row.getByRole('button', { expanded: false }).click();
    const select = row.locator('select[id^="link-"]').first();
    // the list fills once the row's data is in: asked again until then (a busy machine is slow to render)
    const heldOption = async () => (await select.locator('option').allTextContents()).find((t) => /\(linked to .+\)$/.test(t));
    await expect.poll(heldOption, { message: 'a licence backing a resource is marked in the list' }).toBeDefined();
    const held = await heldOption();
    await select.selectOption({ label: held! });
    await expect.poll(() => row.getByRole('button', { name: 'Move' }).first().isDisabled()).toBe(true);
    expect(await row.getByText(/move it from /).first().isVisible()).toBe(true);
    await select.selectOption({ index: 0 });
  });

  it('lets staff name the resource an import makes (the licence name by default)', async () => {
    // a mapping with a licence still to import (rows expanded one by one until one shows an Import button)
    let row = mapping('XSP661208');
    for (const candidate of await page.locator('tbody.mapping').all()) {
      if ((await candidate.getByRole('button', { expanded: false }).count()) > 0) await candidate.getByRole('button', { expanded: false }).click();
      if ((await candidate.getByRole('button', { name: /^Import XSP\d+$/ }).count()) > 0) {
        row = candidate;
        break;
      }
    }
    const name = row.getByLabel(/^Name of the new resource for XSP\d+$/).first();
    expect(await name.inputValue()).not.toBe('');
    const importButton = row.getByRole('button', { name: /^Import XSP\d+$/ }).first();
    const licence = (await importButton.textContent())!.replace('Import ', '');
    await name.fill('Named by staff');
    await importButton.click();
    await expect.poll(() => row.getByRole('status').textContent()).toBe(`${licence} imported as Named by staff`);
    // its resource's row, and its licence's "Backs" cell
    await expect.poll(() => row.getByRole('cell', { name: /^Named by staff/ }).count()).toBe(2);
  });

  it('runs a consumption sync and watches its progress reach 100%, also after a reload', async () => {
    graphqlRequests = [];
    await page.goto(`${base}/#/billing`);
    await page.getByRole('heading', { name: 'Flow runs' }).waitFor();
    await page.locator('.chart table tbody tr').first().waitFor();
    expect(graphqlRequests).toHaveLength(1);
    await accessible('billing');
    // the demo pushes its months onto the simulated Waldur's invoices: each month and customer's
    // Arrow bill is on Waldur's invoices whole, nothing pending or failed
    const invoicing = page.locator('table.waldur-invoicing tbody tr');
    expect(await invoicing.count()).toBeGreaterThanOrEqual(30);
    for (const row of await invoicing.all()) {
      const [, , billed, invoiced, pending, failed] = await row.locator('td').allTextContents();
      expect([invoiced, pending, failed]).toEqual([billed, '0.00', '0.00']);
    }
    // and, asked for, what of the month's Arrow bill reaches no invoice
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('.unbilled p').first().textContent()).toMatch(/Arrow billed [\d.]+ in \d+ lines; [\d.]+ is on Waldur's invoices; [\d.]+ is on none\./);
    const latestRun = await page.locator('table.flow-runs tbody tr').first().textContent();
    await page.getByLabel('Flow').selectOption('CONSUMPTION_SYNC');
    await page.getByRole('button', { name: 'Run flow' }).click();
    const bar = page.locator('li[data-work="CONSUMPTION_SYNC"]').first();
    await expect.poll(() => bar.getAttribute('data-state'), { timeout: 30_000 }).toBe('SUCCEEDED');
    expect(await bar.locator('progress').getAttribute('value')).toBe('100');
    expect(await bar.textContent()).toMatch(/100%/);
    // the flow runs table is read again when the work ends: its new run is listed
    await expect.poll(async () => { const first = await page.locator('table.flow-runs tbody tr').first().textContent(); return first !== latestRun && first!.includes('CONSUMPTION_SYNC'); }).toBe(true);
    // the chart fills its box, and its legend shows the latest month's figures
    const [chartWidth, boxWidth] = await page.locator('.chart').first().evaluate((f) => [f.querySelector('.uplot')!.getBoundingClientRect().width, f.querySelector('div[aria-hidden]')!.getBoundingClientRect().width]);
    expect(chartWidth).toBeGreaterThan(boxWidth - 2);
    expect(await page.locator('.chart .u-legend').first().textContent()).toMatch(/\d+\.\d{2}/);
    // a flow with nothing to do is said to be skipped, not succeeded: this month's reconciliation waits for the month to end
    await page.getByLabel('Flow').selectOption('RECONCILIATION');
    await page.getByRole('button', { name: 'Run flow' }).click();
    const skipped = page.locator('li[data-work="RECONCILIATION"]').first();
    await expect.poll(() => skipped.getAttribute('data-state'), { timeout: 30_000 }).toBe('SUCCEEDED');
    await expect.poll(() => skipped.locator('label .muted').textContent()).toBe('skipped');
    await shoot('billing');
    await page.reload();
    await expect.poll(() => page.locator('li[data-work="CONSUMPTION_SYNC"]').first().getAttribute('data-state')).toBe('SUCCEEDED');
    expect(await page.locator('li[data-work="CONSUMPTION_SYNC"] progress').first().getAttribute('value')).toBe('100');
  });

  it('settings show the key as write-only', async () => {
    await page.goto(`${base}/#/settings`);
    await page.getByRole('cell', { name: 'set (write-only)' }).first().waitFor();
    await shoot('settings');
    await accessible('settings');
    expect(await page.content()).not.toContain('demo-api-key');
  });

  it('lists who did what, the links made above among them, and finds them by licence', async () => {
    await page.goto(`${base}/#/audit`);
    await page.getByRole('heading', { name: 'Who did what' }).waitFor();
    await page.getByRole('cell', { name: 'linkResource' }).first().waitFor();
    await accessible('audit');
    await page.getByLabel('Acted on').fill('no-such-thing-anywhere');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('Nothing recorded for “no-such-thing-anywhere”.').waitFor();
  });

  it('shows Arrow failing next to what it broke', async () => {
    const faults = await fetch(`${arrowSim}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 1 }) });
    expect(faults.ok).toBe(true);
    try {
      await page.goto(`${base}/#/unmapped`);
      await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 }).toMatch(/^ArrowUnavailable: /);
      await page.goto(`${base}/#/mappings`);
      await mapping('XSP661208').getByRole('button', { expanded: false }).click();
      await expect.poll(() => mapping('XSP661208').getByRole('alert').first().textContent(), { timeout: 20_000 }).toMatch(/^Arrow: /);
    } finally {
      await fetch(`${arrowSim}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 0 }) });
    }
    expect(refused).toEqual([]);
  });
});
