// End-to-end tests of the running portal (scripts/start.sh) on the demo
// content of the local control planes, a mixed fleet (Crossplane v1 and v2),
// in Debian's Chromium driven by playwright-core. Run by scripts/e2e.sh,
// which starts and stops the portal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  chooseNamespace,
  CLUSTER,
  CLUSTER_V2,
  deleteFromLocalControlPlane,
  launchBrowser,
  open as openPath,
  shot as screenshot,
} from './lib/portal.mjs';

let browser;
let page;

/**
 * The tokens entity names carry for the demo's API groups
 * (database.platformops.io, apps.platformops.io; see objectEntityName in
 * crossplane-common).
 */
const DATABASE_GROUP = 'database-d76a75';
const APPS_GROUP = 'apps-c3ca5b';

const open = path => openPath(page, path);
const shot = name => screenshot(page, name);

before(async () => {
  ({ browser, page } = await launchBrowser());
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
  // The mixed fleet: both clusters' tiles, the v2 XRs beside the claims.
  for (const cluster of [CLUSTER, CLUSTER_V2])
    await page.getByTestId(`cluster-tile-${cluster}`).waitFor();
  await table
    .locator('tr', { hasText: 'AppDatabase' })
    .first()
    .waitFor({ timeout: 60_000 });
  await shot('control-plane');
});

test('the portal opens on the control-plane page', async () => {
  await open('/');
  await page.waitForURL(/\/crossplane$/, { timeout: 30_000 });
  await page.getByText('Control plane').first().waitFor({ timeout: 30_000 });
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
    `/catalog/default/component/payments-db.postgresqlinstance.${DATABASE_GROUP}.team-alpha.${CLUSTER}/crossplane`,
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

/** The review step's manifest names the resource; the dry run accepts it. */
async function expectAcceptedManifest(name) {
  const validation = page.getByTestId('manifest-preview-validation');
  await validation.waitFor({ timeout: 60_000 });
  const verdict = await validation.textContent();
  assert.match(verdict, /The API server accepts it/);
  // The code block is highlighted once its highlighter has loaded: until
  // then it may be empty.
  const expected = new RegExp(`name: ${name}`);
  const snippet = page.getByTestId('manifest-preview-manifest');
  const deadline = Date.now() + 30_000;
  let manifest = (await snippet.textContent()) ?? '';
  while (!expected.test(manifest) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    manifest = (await snippet.textContent()) ?? '';
  }
  assert.match(manifest, expected);
}

test('the template generated from an XRD creates a claim from its form', async () => {
  const name = `e2e-bucket-${Date.now().toString(36)}`;
  try {
    await open('/create/templates/default/objectbucket.storage.platformops.io');
    // Delivery first, so that the next step's pickers ask the chosen
    // cluster: the repository is asked for only for a pull request.
    const pullRequest = page.getByLabel(
      'Open a pull request to a GitOps repository',
    );
    await pullRequest.waitFor({ timeout: 60_000 });
    const repository = page.getByText(
      'the pull request adds the manifest to it',
      { exact: false },
    );
    await pullRequest.check();
    await repository.first().waitFor();
    await shot('template-delivery');
    await page.getByLabel('Create it in the cluster now').check();
    await repository.first().waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Next' }).click();

    // Resource: name, namespace, owner (picked from the catalog's groups).
    await page.locator('#root_name').waitFor({ timeout: 60_000 });
    await page.locator('#root_name').fill(name);
    await chooseNamespace(page, 'team-alpha');
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

    // Review: the exact manifest and the API server's dry run of it.
    await expectAcceptedManifest(name);
    await shot('template-review');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();

    // The task: render, apply, wait, register; then a link to the entity.
    const link = page.getByRole('link', { name: 'Open the ObjectBucket' });
    await link.waitFor({ timeout: 180_000 });
    await shot('template-run');
    await link.click();
    // The claim's entity page (its name carries the API group's token and
    // may be shortened; the page names the claim).
    await page.waitForURL(/\/catalog\/default\/component\//, {
      timeout: 60_000,
    });
    await page.getByText(name).first().waitFor({ timeout: 60_000 });
  } finally {
    await deleteFromLocalControlPlane(
      CLUSTER,
      `/apis/storage.platformops.io/v1alpha1/namespaces/team-alpha/objectbuckets/${name}`,
    );
  }
});

test("a v2 XR's entity page shows its namespaced managed resources, the failing one with its message", async () => {
  await open(
    `/catalog/default/component/analytics-db.appdatabase.${APPS_GROUP}.team-beta.${CLUSTER_V2}/crossplane`,
  );
  await page.getByText('Resource tree').waitFor({ timeout: 60_000 });
  const visible = text =>
    page.getByText(text, { exact: true }).filter({ visible: true });
  // The graph lays out its nodes as they come.
  await visible('AppDatabase').first().waitFor({ timeout: 30_000 });
  await visible('NopResource').nth(1).waitFor({ timeout: 30_000 });
  // The culprit: a .m. NopResource in the XR's own namespace.
  await page
    .getByText(
      /because of NopResource team-beta\/analytics-db-\S+: storage quota exceeded in team-beta/,
    )
    .first()
    .waitFor({ timeout: 30_000 });
  await shot('resource-tree-v2');
});

test('the template generated from a v2 XRD creates a namespaced XR, listed beside the v1 claims', async () => {
  const name = `e2e-appdb-${Date.now().toString(36)}`;
  try {
    await open('/create/templates/default/appdatabase.apps.platformops.io');
    // Delivery first: the v2 cluster, created now; the namespace picker of
    // the next step offers that cluster's namespaces.
    await page.locator('#root_cluster').click({ timeout: 60_000 });
    await page.getByRole('option', { name: CLUSTER_V2, exact: true }).click();
    await page.getByLabel('Create it in the cluster now').check();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.locator('#root_name').waitFor({ timeout: 60_000 });
    await page.locator('#root_name').fill(name);
    await chooseNamespace(page, 'team-alpha');
    await page.locator('#root_owner').fill('team-alpha');
    await page
      .getByRole('option', { name: /team-alpha/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Next' }).click();

    // Parameters from the v2 XRD's schema: storageGB is required.
    await page.locator('#root_parameters_storageGB').fill('20');
    await page.getByRole('button', { name: 'Next' }).click();
    await expectAcceptedManifest(name);
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();

    const link = page.getByRole('link', { name: 'Open the AppDatabase' });
    await link.waitFor({ timeout: 180_000 });
    await link.click();
    const entity = `${name}.appdatabase.${APPS_GROUP}.team-alpha.${CLUSTER_V2}`;
    await page.waitForURL(url => url.pathname.includes(`/${entity}`));
    await page
      .getByRole('heading', { name, exact: true })
      .first()
      .waitFor({ timeout: 60_000 });

    // The control-plane page: both clusters, the new XR and a v1 claim.
    await open('/crossplane');
    for (const cluster of [CLUSTER, CLUSTER_V2])
      await page.getByTestId(`cluster-tile-${cluster}`).waitFor();
    const cells = async text =>
      page
        .locator('table tbody tr', { hasText: text })
        .first()
        .locator('td')
        .allInnerTexts();
    await page
      .locator('table tbody tr', { hasText: name })
      .first()
      .waitFor({ timeout: 60_000 });
    const xr = await cells(name);
    assert.ok(xr.includes(CLUSTER_V2), `the XR is in ${CLUSTER_V2}: ${xr}`);
    assert.match(xr.join(' '), /AppDatabase/);
    const claim = await cells('alpha-assets');
    assert.ok(claim.includes(CLUSTER), `a v1 claim in ${CLUSTER}: ${claim}`);
  } finally {
    await deleteFromLocalControlPlane(
      CLUSTER_V2,
      `/apis/apps.platformops.io/v1alpha1/namespaces/team-alpha/appdatabases/${name}`,
    );
  }
});
