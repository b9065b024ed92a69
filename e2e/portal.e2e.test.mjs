// End-to-end tests of the running portal (scripts/start.sh) on the local
// control plane's demo content, in Debian's Chromium driven by
// playwright-core. Run by scripts/e2e.sh, which starts and stops the portal.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
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

/** Deletes an object from the local control plane; best effort. */
function deleteFromLocalControlPlane(path) {
  const dir = '.controlplane/local';
  if (CLUSTER !== 'local' || !fs.existsSync(`${dir}/token`)) return;
  return new Promise(resolve => {
    const req = https.request(
      {
        hostname: '127.0.0.1',
        port: Number(fs.readFileSync(`${dir}/port`, 'utf8').trim()),
        path,
        method: 'DELETE',
        ca: fs.readFileSync(`${dir}/ca.crt`),
        headers: {
          Authorization: `Bearer ${fs
            .readFileSync(`${dir}/token`, 'utf8')
            .trim()}`,
        },
      },
      res => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', resolve);
    req.end();
  });
}

test('the template generated from an XRD creates a claim from its form', async () => {
  const name = `e2e-bucket-${Date.now().toString(36)}`;
  try {
    await open('/create/templates/default/objectbucket.storage.platformops.io');
    // Resource: name, namespace, owner (picked from the catalog's groups).
    await page.locator('#root_name').waitFor({ timeout: 60_000 });
    await page.locator('#root_name').fill(name);
    await page.locator('#root_namespace').fill('team-alpha');
    await page.locator('#root_owner').fill('team-alpha');
    await page
      .getByRole('option', { name: /team-alpha/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Next' }).click();

    // Parameters from the XRD's schema: the required region first.
    await page.locator('#root_parameters_region').click();
    await page.getByRole('option', { name: 'eu-central-1' }).click();
    await page.getByRole('button', { name: 'Next' }).click();

    // Delivery: the repository is asked for only for a pull request.
    const pullRequest = page.getByLabel(
      'Open a pull request to a GitOps repository',
    );
    const repository = page.getByText(
      'the pull request adds the manifest to it',
      { exact: false },
    );
    await pullRequest.check();
    await repository.first().waitFor();
    await shot('template-delivery');
    await page.getByLabel('Create it in the cluster now').check();
    await repository.first().waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();

    // The task: render, apply, wait, register; then a link to the entity.
    const link = page.getByRole('link', { name: 'Open the ObjectBucket' });
    await link.waitFor({ timeout: 180_000 });
    await shot('template-run');
    await link.click();
    await page
      .getByText(`${name}.objectbucket.team-alpha.${CLUSTER}`)
      .first()
      .waitFor({ timeout: 60_000 });
  } finally {
    await deleteFromLocalControlPlane(
      `/apis/storage.platformops.io/v1alpha1/namespaces/team-alpha/objectbuckets/${name}`,
    );
  }
});
