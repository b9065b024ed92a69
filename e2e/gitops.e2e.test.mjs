// The pull-request path of Edit and Delete end to end, on the running portal
// (scripts/start.sh) signed in as the guest, a member of team-alpha, with
// the local Git host (tools/gitea) as its Gitea integration and the one
// repository named by $E2E_GITOPS_REPO in crossplane.gitops.repositories
// (scripts/e2e.sh configures both).
//
// The test makes that repository with a claim's file carrying PlatformOps'
// source annotations, and applies the file to the cluster as a GitOps
// controller's sync would. Edit and Delete from the claim's entity page then
// open pull requests on the file, and write nothing to the cluster.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { connectGitHost } from '../tools/gitea/index.js';
import {
  CLUSTER,
  deleteFromLocalControlPlane,
  enabledAction,
  eventually,
  isReady,
  kubeRequest,
  launchBrowser,
  openEntity,
  previewParameterEdit,
  readObject,
  shot,
  STORAGE_GROUP,
  typeNameToConfirm,
} from './lib/portal.mjs';

const { E2E_GITEA_NAME, E2E_GITEA_PORT, E2E_GITOPS_REPO: REPO } = process.env;

const NAMESPACE = 'team-alpha';
// Short enough that its entity name (at most 63 characters) is not shortened.
const name = `e2e-git-${Date.now().toString(36)}`;
const claimPath = `/apis/storage.platformops.io/v1alpha1/namespaces/${NAMESPACE}/objectbuckets/${name}`;
const claimEntity = `/catalog/default/component/${name}.objectbucket.${STORAGE_GROUP}.${NAMESPACE}.${CLUSTER}`;
const filePath = `clusters/${CLUSTER}/${NAMESPACE}/objectbucket-${name}.yaml`;
/** The manager a GitOps controller's sync writes as. */
const SYNC_MANAGER = 'e2e-gitops-sync';
const TITLE = `ObjectBucket.storage.platformops.io ${NAMESPACE}/${name} in cluster ${CLUSTER}`;

let git;
let browser;
let page;

/**
 * The claim's entity page: the catalog writes a cluster's new objects at its
 * next full write (every 2 minutes), and again after a restart of the portal.
 */
const openClaimEntity = () => openEntity(page, claimEntity, 420_000);

/** The claim's file as the templates' pull-request path commits it. */
const manifestFile = () => `# Delivered by pull request
apiVersion: storage.platformops.io/v1alpha1
kind: ObjectBucket
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
  labels:
    app.kubernetes.io/managed-by: platformops
  annotations:
    platformops.io/source-repo: ${git.host}?owner=${git.owner}&repo=${REPO}
    platformops.io/source-path: ${filePath}
    platformops.io/source-cluster: ${CLUSTER}
spec:
  parameters:
    storageClass: STANDARD # cheapest
    region: eu-west-1
`;

/** What the portal could have written to the claim. */
async function written() {
  const claim = await readObject(CLUSTER, claimPath);
  assert.ok(claim, `${name} is in the cluster`);
  return {
    spec: claim.spec,
    generation: claim.metadata.generation,
    managers: (claim.metadata.managedFields ?? []).map(f => f.manager),
    deleting: Boolean(claim.metadata.deletionTimestamp),
  };
}

/** The pull-request link a dialog shows, once it shows one. */
async function pullRequestLink(dialog) {
  const opened = dialog.getByTestId('pull-request-opened');
  await opened.waitFor({ timeout: 30_000 });
  return opened.getByRole('link').getAttribute('href');
}

/** The lines a pull request adds or removes (not its file headers). */
async function changedLines(pull) {
  const diff = await git.diff(REPO, pull);
  return {
    diff,
    lines: diff.split('\n').filter(line => /^[-+](?![-+]{2} )/.test(line)),
  };
}

before(async () => {
  assert.ok(
    E2E_GITEA_NAME && E2E_GITEA_PORT && REPO,
    'E2E_GITEA_NAME, E2E_GITEA_PORT and E2E_GITOPS_REPO name the Git host and repository the portal was configured with (scripts/e2e.sh)',
  );
  git = connectGitHost({ name: E2E_GITEA_NAME, port: E2E_GITEA_PORT });
  await git.createRepository(REPO, { [filePath]: manifestFile() });
  // The GitOps controller's sync: the file, applied as it is.
  const synced = await kubeRequest(
    CLUSTER,
    'PATCH',
    `${claimPath}?fieldManager=${SYNC_MANAGER}&force=true`,
    parse(manifestFile()),
    'application/apply-patch+yaml',
  );
  assert.equal(synced?.status, 201, JSON.stringify(synced?.body));
  await eventually(
    async () => isReady(await readObject(CLUSTER, claimPath)),
    180_000,
    `${name} Ready`,
  );
  ({ browser, page } = await launchBrowser());
});

after(async () => {
  await browser?.close();
  await deleteFromLocalControlPlane(CLUSTER, claimPath);
  await git?.deleteRepository(REPO).catch(() => undefined);
});

test("Edit of a claim delivered through Git opens a pull request changing only that parameter; the cluster's claim is unchanged", async () => {
  const was = await written();
  await openClaimEntity();
  await (await enabledAction(page, 'edit')).click();
  const dialog = page.getByTestId('crossplane-edit-dialog');
  const notice = dialog.getByTestId('gitops-notice');
  await notice.waitFor({ timeout: 30_000 });
  assert.match(
    await notice.innerText(),
    new RegExp(`edited by a pull request on .*${filePath}`),
  );
  await previewParameterEdit(
    page,
    dialog,
    'storageClass',
    'STANDARD',
    'NEARLINE',
  );
  assert.deepEqual(await git.pulls(REPO), [], 'a preview opens nothing');
  assert.equal(
    await dialog.getByRole('button', { name: 'Apply edit' }).count(),
    0,
    'no Apply: the cluster is not written from here',
  );

  await dialog.getByRole('button', { name: 'Open pull request' }).click();
  const link = await pullRequestLink(dialog);
  assert.equal(link, `${git.baseUrl}/${git.owner}/${REPO}/pulls/1`);
  await dialog.getByTestId('edit-diff').waitFor();
  await shot(page, 'edit-pull-request', dialog.getByRole('dialog'));

  const pulls = await git.pulls(REPO);
  assert.deepEqual(
    pulls.map(p => [p.number, p.title, p.html_url, p.state]),
    [[1, `Edit ${TITLE}`, link, 'open']],
  );
  const { diff: text, lines } = await changedLines(1);
  assert.match(text, new RegExp(`\\+\\+\\+ b/${filePath}`));
  assert.deepEqual(
    lines,
    [
      '-    storageClass: STANDARD # cheapest',
      '+    storageClass: NEARLINE # cheapest',
    ],
    'only that parameter, its comment kept',
  );
  assert.deepEqual(await written(), was, 'the cluster is not written');
  await dialog.getByRole('button', { name: 'Close edit' }).click();
});

test('Delete of a claim delivered through Git, once its name is typed, opens a pull request removing its file; the claim stays in the cluster', async () => {
  const was = await written();
  await openClaimEntity();
  await (await enabledAction(page, 'delete')).click();
  const dialog = page.getByTestId('crossplane-delete-dialog');
  const items = dialog.getByTestId('deletion-items');
  await items.waitFor({ timeout: 30_000 });
  const rows = await items.locator('tbody tr').allInnerTexts();
  assert.ok(
    rows.some(row => /XObjectBucket/.test(row)),
    `the preview names its composite: ${rows}`,
  );
  assert.match(
    await dialog.getByTestId('gitops-notice').innerText(),
    new RegExp(`deleted by a pull request on .*${filePath}`),
  );

  const confirm = dialog.getByRole('button', { name: 'Open pull request' });
  await typeNameToConfirm(dialog, confirm, name);
  await shot(page, 'delete-pull-request-review', dialog.getByRole('dialog'));
  await confirm.click();
  const link = await pullRequestLink(dialog);
  assert.equal(link, `${git.baseUrl}/${git.owner}/${REPO}/pulls/2`);
  await shot(page, 'delete-pull-request', dialog.getByRole('dialog'));

  const pull = (await git.pulls(REPO)).find(p => p.number === 2);
  assert.equal(pull?.title, `Delete ${TITLE}`);
  assert.equal(pull.html_url, link);
  const { diff, lines } = await changedLines(2);
  assert.match(diff, /deleted file mode/);
  assert.match(diff, new RegExp(`--- a/${filePath}`));
  assert.match(diff, /\+\+\+ \/dev\/null/);
  assert.ok(
    lines.every(line => line.startsWith('-')),
    `it only removes: ${lines}`,
  );
  assert.deepEqual(
    await written(),
    was,
    'the claim stays in the cluster, not deleting',
  );
  await dialog.getByRole('button', { name: 'Close delete' }).click();
});
