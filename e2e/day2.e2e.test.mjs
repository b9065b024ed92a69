// Day-2 operations end to end, on the running portal (scripts/start.sh)
// signed in as the guest, a member of team-alpha: the portal's permission
// policy lets it change only team-alpha's objects. The claims and XRs these
// tests change are their own, created in team-alpha's namespace with the
// control plane's admin credentials and removed afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CLUSTER,
  CLUSTER_V2,
  deleteFromLocalControlPlane,
  enabledAction as enabledActionOf,
  eventually,
  isReady,
  kubeRequest,
  launchBrowser,
  open,
  openEntity as openEntityOf,
  previewParameterEdit,
  readObject,
  shot,
  STORAGE_GROUP,
  typeNameToConfirm,
} from './lib/portal.mjs';

const NAMESPACE = 'team-alpha';
const SUFFIX = Date.now().toString(36);

/**
 * The token entity names carry for the demo's database.platformops.io (see
 * objectEntityName in crossplane-common).
 */
const DATABASE_GROUP = 'database-d76a75';

/** The v1 claim that is paused, resumed, edited and deleted, in that order. */
const claimName = `e2e-day2-${SUFFIX}`;
const claimPath = `/apis/storage.platformops.io/v1alpha1/namespaces/${NAMESPACE}/objectbuckets/${claimName}`;
const claimEntity = `/catalog/default/component/${claimName}.objectbucket.${STORAGE_GROUP}.${NAMESPACE}.${CLUSTER}`;

/** The v2 XR pinned to an older revision of its own Composition. */
const xrName = `e2e-upgrade-${SUFFIX}`;
const xrPath = `/apis/apps.platformops.io/v1alpha1/namespaces/${NAMESPACE}/appdatabases/${xrName}`;
const compositionName = `appdatabases.e2e-${SUFFIX}.apps.platformops.io`;
const compositionsPath = '/apis/apiextensions.crossplane.io/v1/compositions';

let browser;
let page;

async function createObject(instance, collection, object) {
  const res = await kubeRequest(instance, 'POST', collection, object);
  assert.equal(
    res?.status,
    201,
    `created ${object.kind} ${object.metadata.name}: ${JSON.stringify(
      res?.body,
    )}`,
  );
}

const openEntity = (path, timeoutMs) => openEntityOf(page, path, timeoutMs);
const openClaimEntity = () => openEntity(claimEntity);
const enabledAction = operation => enabledActionOf(page, operation);

before(async () => {
  ({ browser, page } = await launchBrowser());
  // Applied as the portal's create applies it (field manager platformops):
  // an edit never takes fields over from another manager.
  const created = await kubeRequest(
    CLUSTER,
    'PATCH',
    `${claimPath}?fieldManager=platformops`,
    {
      apiVersion: 'storage.platformops.io/v1alpha1',
      kind: 'ObjectBucket',
      metadata: {
        name: claimName,
        namespace: NAMESPACE,
        labels: { 'platformops.io/owner': NAMESPACE },
      },
      spec: { parameters: { storageClass: 'STANDARD', region: 'eu-west-1' } },
    },
    'application/apply-patch+yaml',
  );
  assert.equal(created?.status, 201, JSON.stringify(created?.body));
  await eventually(
    async () => isReady(await readObject(CLUSTER, claimPath)),
    180_000,
    `${claimName} Ready`,
  );
});

after(async () => {
  await browser?.close();
  await deleteFromLocalControlPlane(CLUSTER, claimPath);
  await deleteFromLocalControlPlane(CLUSTER_V2, xrPath);
  await deleteFromLocalControlPlane(
    CLUSTER_V2,
    `${compositionsPath}/${compositionName}`,
  );
});

test('a claim paused from its entity page shows Paused on the control-plane page, and resumes', async () => {
  await openClaimEntity();
  await (await enabledAction('pause')).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
  await page.getByText(/^Paused at /).waitFor({ timeout: 30_000 });
  const claim = await readObject(CLUSTER, claimPath);
  assert.equal(
    claim.metadata.annotations?.['crossplane.io/paused'],
    'true',
    'the claim carries the paused annotation',
  );

  await eventually(
    async () => {
      await open(page, '/crossplane');
      const row = page.locator('table tbody tr', { hasText: claimName });
      await row.first().waitFor({ timeout: 20_000 });
      return /Paused/.test(await row.first().innerText());
    },
    90_000,
    `${claimName} shown Paused on the control-plane page`,
    1000,
  );

  await openClaimEntity();
  await (await enabledAction('resume')).click();
  await page.getByText(/^Resumed at /).waitFor({ timeout: 30_000 });
  await eventually(
    async () =>
      !(
        await readObject(CLUSTER, claimPath)
      )?.metadata.annotations?.['crossplane.io/paused'],
    30_000,
    `${claimName} no longer paused in the cluster`,
    1000,
  );
  // Offered Pause again once the portal has seen the resume.
  await eventually(
    async () => {
      await openClaimEntity();
      return (await enabledAction('pause')) && true;
    },
    90_000,
    `${claimName} offered Pause again`,
    1000,
  );
});

test("a claim's parameter is changed from its entity page after a preview of the diff", async () => {
  await openClaimEntity();
  await (await enabledAction('edit')).click();
  const dialog = page.getByTestId('crossplane-edit-dialog');
  await previewParameterEdit(
    page,
    dialog,
    'storageClass',
    'STANDARD',
    'NEARLINE',
  );
  await dialog
    .getByTestId('edit-validation')
    .getByText('The API server accepts the change')
    .waitFor();
  assert.equal(
    await dialog.getByTestId('edit-conflicts').count(),
    0,
    'no field of another manager is in the way',
  );
  await shot(page, 'edit-preview', dialog.getByRole('dialog'));
  const unchanged = await readObject(CLUSTER, claimPath);
  assert.equal(
    unchanged.spec.parameters.storageClass,
    'STANDARD',
    'a preview changes nothing',
  );

  await dialog.getByRole('button', { name: 'Apply edit' }).click();
  await dialog.getByTestId('edit-applied').waitFor({ timeout: 30_000 });
  const edited = await readObject(CLUSTER, claimPath);
  assert.equal(edited.spec.parameters.storageClass, 'NEARLINE');
  assert.equal(edited.spec.parameters.region, 'eu-west-1', 'the rest is kept');
  await dialog.getByRole('button', { name: 'Close edit' }).click();

  // Reconciled on the new value: its composite carries it and is Ready.
  await eventually(
    async () => {
      const claim = await readObject(CLUSTER, claimPath);
      const ref = claim?.spec?.resourceRef;
      if (!ref || !isReady(claim)) return false;
      const composite = await readObject(
        CLUSTER,
        `/apis/storage.platformops.io/v1alpha1/xobjectbuckets/${ref.name}`,
      );
      return (
        composite?.spec?.parameters?.storageClass === 'NEARLINE' &&
        isReady(composite)
      );
    },
    120_000,
    `${claimName} reconciled on NEARLINE and Ready`,
  );
});

test('a claim is deleted after a preview of its composed resources and their deletion policies', async () => {
  await openClaimEntity();
  await (await enabledAction('delete')).click();
  const dialog = page.getByTestId('crossplane-delete-dialog');
  const items = dialog.getByTestId('deletion-items');
  await items.waitFor({ timeout: 30_000 });
  const rows = await items.locator('tbody tr').allInnerTexts();
  const managed = rows.filter(row => /NopResource/.test(row));
  assert.equal(managed.length, 2, `its two managed resources: ${rows}`);
  for (const row of managed) {
    assert.match(row, /Delete/, 'their deletion policy');
    assert.match(row, /external resource deleted/, 'and what it means');
  }
  assert.ok(
    rows.some(row => /XObjectBucket/.test(row)),
    `its composite: ${rows}`,
  );
  await shot(page, 'delete-preview', dialog.getByRole('dialog'));

  const confirm = dialog.getByRole('button', { name: 'Confirm delete' });
  await typeNameToConfirm(dialog, confirm, claimName);
  await confirm.click();
  await dialog.getByTestId('deletion-done').waitFor({ timeout: 180_000 });
  assert.equal(
    await readObject(CLUSTER, claimPath),
    undefined,
    'gone from the cluster',
  );
  await dialog.getByRole('button', { name: 'Close delete' }).click();
});

test("an XR pinned to an older revision is moved to its Composition's latest from the control-plane page", async () => {
  // A Composition of its own with two revisions: a copy of the demo's, then
  // one more pipeline step.
  const demo = await readObject(
    CLUSTER_V2,
    `${compositionsPath}/appdatabases.nop.apps.platformops.io`,
  );
  assert.ok(demo, 'the demo Composition of AppDatabase');
  await createObject(CLUSTER_V2, compositionsPath, {
    apiVersion: demo.apiVersion,
    kind: demo.kind,
    metadata: { name: compositionName, labels: demo.metadata.labels },
    spec: demo.spec,
  });
  const revisions = async () =>
    (
      await kubeRequest(
        CLUSTER_V2,
        'GET',
        `/apis/apiextensions.crossplane.io/v1/compositionrevisions?labelSelector=${encodeURIComponent(
          `crossplane.io/composition-name=${compositionName}`,
        )}`,
      )
    )?.body?.items ?? [];
  const revision = async number =>
    eventually(
      async () =>
        (await revisions()).find(r => r.spec.revision === number)?.metadata
          .name,
      60_000,
      `revision ${number} of ${compositionName}`,
      1000,
    );
  const first = await revision(1);
  const patched = await kubeRequest(
    CLUSTER_V2,
    'PATCH',
    `${compositionsPath}/${compositionName}`,
    {
      spec: {
        pipeline: [
          ...demo.spec.pipeline,
          {
            step: 'auto-ready-again',
            functionRef: { name: 'function-auto-ready' },
          },
        ],
      },
    },
    'application/merge-patch+json',
  );
  assert.equal(patched?.status, 200, JSON.stringify(patched?.body));
  const latest = await revision(2);

  await createObject(
    CLUSTER_V2,
    `/apis/apps.platformops.io/v1alpha1/namespaces/${NAMESPACE}/appdatabases`,
    {
      apiVersion: 'apps.platformops.io/v1alpha1',
      kind: 'AppDatabase',
      metadata: {
        name: xrName,
        namespace: NAMESPACE,
        labels: { 'platformops.io/owner': NAMESPACE },
      },
      spec: {
        crossplane: {
          compositionRef: { name: compositionName },
          compositionUpdatePolicy: 'Manual',
          compositionRevisionRef: { name: first },
        },
        parameters: { engine: 'postgres', version: '16', storageGB: 10 },
      },
    },
  );
  await eventually(
    async () => isReady(await readObject(CLUSTER_V2, xrPath)),
    120_000,
    `${xrName} Ready on revision 1`,
  );

  const row = page
    .getByTestId('revision-upgrades')
    .locator('tbody tr', { hasText: xrName });
  await eventually(
    async () => {
      await open(page, '/crossplane');
      await row.waitFor({ timeout: 20_000 });
      return true;
    },
    120_000,
    `${xrName} listed among the revision upgrades`,
    1000,
  );
  const cells = await row.locator('td').allInnerTexts();
  assert.ok(cells.includes(first), `current revision: ${cells}`);
  assert.ok(cells.includes(latest), `latest revision: ${cells}`);
  assert.ok(cells.includes(compositionName), `composition: ${cells}`);

  await row.getByRole('checkbox').check();
  const upgrade = page.getByRole('button', { name: 'Upgrade selected' });
  await eventually(() => upgrade.isEnabled(), 10_000, 'Upgrade offered', 200);
  await shot(
    page,
    'revision-upgrades',
    page
      .getByTestId('revision-upgrades')
      .locator('xpath=ancestor::div[contains(@class, "MuiCard-root")][1]'),
  );
  await upgrade.click();
  const outcome = page.getByTestId(`upgrade-outcome-${xrName}`);
  await outcome.waitFor({ timeout: 120_000 });
  assert.equal((await outcome.innerText()).trim(), 'upgraded');
  const upgraded = await readObject(CLUSTER_V2, xrPath);
  assert.equal(
    upgraded.spec.crossplane.compositionRevisionRef.name,
    latest,
    'pinned to the latest revision in the cluster',
  );
});

test("another team's claim offers no Edit or Delete, and says why", async () => {
  await openEntity(
    `/catalog/default/component/orders-db.postgresqlinstance.${DATABASE_GROUP}.team-beta.${CLUSTER}`,
    90_000,
  );
  for (const operation of ['edit', 'delete']) {
    const button = page.getByTestId(`crossplane-action-${operation}`);
    assert.ok(await button.isDisabled(), `${operation} is disabled`);
    await button.locator('xpath=..').hover();
    const tooltip = page.getByRole('tooltip');
    // Disabled while the permissions are checked, then with the refusal.
    await tooltip
      .getByText('your permissions do not allow')
      .waitFor({ timeout: 30_000 });
    const reason = await tooltip.innerText();
    assert.match(
      reason,
      new RegExp(
        `crossplane\\.resource\\.${operation === 'edit' ? 'update' : 'delete'}`,
      ),
      `${operation}: ${reason}`,
    );
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'detached' }).catch(() => undefined);
  }
});
