// End-to-end tests of the running portal (scripts/start.sh) on the local
// control plane's demo content, in Debian's Chromium driven by
// playwright-core. Run by scripts/e2e.sh, which starts and stops the portal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const PORTAL = process.env.PORTAL_URL ?? 'http://localhost:3000';
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;
const CLUSTER = process.env.E2E_CLUSTER ?? 'local';

let browser;
let page;

async function open(path) {
  await page.goto(`${PORTAL}${path}`, { waitUntil: 'networkidle' });
  // Guest sign-in, for local use.
  const enter = page.locator('button:has-text("Enter")');
  await enter.waitFor({ timeout: 10_000 }).catch(() => undefined);
  if (await enter.count()) await enter.click();
}

async function shot(name) {
  if (SCREENSHOTS)
    await page.screenshot({
      path: `${SCREENSHOTS}/${name}.png`,
      fullPage: true,
    });
}

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

after(async () => {
  await browser?.close();
});

test('the control-plane page lists the demo claims with their health', async () => {
  await open('/crossplane');
  const table = page.locator('table', { hasText: 'payments-db' });
  await table.waitFor({ timeout: 60_000 });
  for (const claim of [
    'payments-db',
    'orders-db',
    'analytics-db',
    'alpha-prod',
    'beta-staging',
    'alpha-assets',
    'beta-backups',
  ]) {
    assert.ok(
      await table.getByText(claim, { exact: false }).count(),
      `${claim} is listed`,
    );
  }
  assert.ok(
    await page.getByText('Healthy').count(),
    'healthy claims are shown as such',
  );
  await shot('control-plane');
});

test('a claim made to fail appears first, with its message', async () => {
  await open('/crossplane');
  const rows = page.locator('table tbody tr', { hasText: '-db' });
  await rows.first().waitFor({ timeout: 60_000 });
  const first = await page.locator('table tbody tr').first().innerText();
  assert.match(first, /analytics-db/);
  assert.match(first, /Degraded/);
  assert.match(first, /storage quota exceeded/);
});

test("a claim's entity page shows its resource tree", async () => {
  await open(
    `/catalog/default/component/payments-db.postgresqlinstance.team-alpha.${CLUSTER}/crossplane`,
  );
  const tree = page.getByText('Resource tree');
  await tree.waitFor({ timeout: 60_000 });
  const visible = text =>
    page.getByText(text, { exact: true }).filter({ visible: true });
  await visible('XPostgreSQLInstance').first().waitFor({ timeout: 30_000 });
  assert.ok(
    await visible('PostgreSQLInstance').count(),
    'the claim is the root',
  );
  assert.ok(
    await visible('NopResource').count(),
    'its managed resources are shown',
  );
  await shot('resource-tree');
});
