import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import type { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { GITOPS_TOOL_CRDS } from '../__fixtures__/gitOpsToolCrds';

const ROLE_FILE = path.resolve(
  __dirname,
  '../../../../deploy/rbac/portal-read-gitops.yaml',
);
const FIELD_MANAGER = 'platformops-tests';

const locatorOf = (o: KubernetesObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
});

/** Waits until the API server serves a CRD's kind. */
function established(admin: KubernetesClusterClient, crd: KubernetesObject) {
  return waitFor(`${crd.metadata.name} to be served`, async () => {
    const served = await admin.get(locatorOf(crd));
    const conditions = (served?.status?.conditions ?? []) as Array<{
      type: string;
      status: string;
    }>;
    return conditions.some(c => c.type === 'Established' && c.status === 'True')
      ? true
      : undefined;
  });
}

/**
 * Argo CD's and Flux's kinds on a control plane (the minimal CRDs of
 * __fixtures__/gitOpsToolCrds.ts, where the cluster has none) and the
 * portal's read role of them (deploy/rbac/portal-read-gitops.yaml), served
 * when this returns. They are left in place: test files running at once
 * share them, and removing a kind would take every file's objects of it.
 */
export async function ensureGitOpsTools(
  admin: KubernetesClusterClient,
): Promise<void> {
  for (const crd of GITOPS_TOOL_CRDS) {
    if (await admin.get(locatorOf(crd))) continue;
    await admin.apply(crd, { fieldManager: FIELD_MANAGER });
  }
  for (const crd of GITOPS_TOOL_CRDS) await established(admin, crd);
  const role = parse(fs.readFileSync(ROLE_FILE, 'utf8')) as KubernetesObject;
  await admin.apply(role, { fieldManager: FIELD_MANAGER, force: true });
}
