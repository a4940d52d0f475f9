import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { divisionId, queueId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys, tenantYaml } from '../support/tenants.js';
import { testTenantsDir } from '../support/tenants-dir.js';

/** Debian's chromium package; `.ci/run` installs it when it is missing. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOT = process.env['GDP_CONSOLE_SCREENSHOT'] ?? path.join(os.tmpdir(), 'gdp-operations-console.png');

const SLOW = 60_000; // a cold Chromium start on a loaded machine

describe('the operations console in a real browser', () => {
  let h: Harness;
  let ops: string;
  let browser: Browser;
  let page: Page;
  let tenantsDir: Awaited<ReturnType<typeof testTenantsDir>>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`The console browser test needs Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium; .ci/run installs it). Set CHROMIUM_PATH to use another.`);
    }
    tenantsDir = await testTenantsDir('console-browser-');
    h = await startHarness({ tenantsDir: tenantsDir.dir });
    ops = (await h.gateway.listenOperations(0, '127.0.0.1')).url;
    // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await tenantsDir?.remove();
  });

  const tenantsTable = () => page.locator('#tenants tbody');

  it('loads and lists the tenants with their divisions', async () => {
    await request(h.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme).expect(200);
    await page.goto(`${ops}/console`);
    await page.locator('#tenants tbody tr', { hasText: 'acme' }).waitFor();
    await page.locator('#tenants tbody tr', { hasText: 'globex' }).waitFor();
    await page.locator('#tenants', { hasText: divisionId(1) }).waitFor();
    await page.locator('#token dd', { hasText: 'held' }).waitFor();
    expect(await page.locator('#updated').textContent()).toMatch(/^updated /);
  }, SLOW);

  it('shows a refusal made a moment before, with its correlation id, without a reload', async () => {
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', 'gdp_a_key_nobody_has_000000000000000').set('inin-correlation-id', 'browser-refusal-0001').expect(401);
    const row = page.locator('#refusals tbody tr', { hasText: 'browser-refusal-0001' });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('unknown key');
  }, SLOW);

  it('updates after a tenant file is added', async () => {
    await writeFile(path.join(tenantsDir.dir, 'newco.yaml'), tenantYaml('newco', [divisionId(4)], [{ id: 'newco-1', key: 'gdp_newco_browser_test_key_000000000', expiresAt: '2031-01-01T00:00:00Z' }]));
    await tenantsTable().locator('tr', { hasText: 'newco' }).waitFor({ timeout: 15_000 });
    await page.locator('#reloads tbody tr', { hasText: 'applied' }).first().waitFor();
  }, SLOW);

  it('shows a queue that moved between divisions, with the tenants that gained and lost it', async () => {
    await h.gateway.directories.queues.refresh();
    h.sim.org.moveQueue(queueId(3, 1), divisionId(1));
    await h.gateway.directories.queues.refresh();
    const row = page.locator('#drift tbody tr', { hasText: queueId(3, 1) });
    await row.waitFor({ timeout: 10_000 });
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(5)).toEqual(['acme', 'globex']);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors).toEqual([]);
  }, SLOW);
});
