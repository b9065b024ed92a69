import { argoCdTrackingOf, fluxOwnerOf, gitOpsSourceOf } from './gitops';
import type { KubernetesObject } from './types';

function object(
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): KubernetesObject {
  return {
    apiVersion: 'example.org/v1alpha1',
    kind: 'Database',
    metadata: { name: 'orders', namespace: 'team-a', labels, annotations },
  };
}

describe('gitOpsSourceOf', () => {
  it('finds nothing on an object no GitOps tool tracks', () => {
    expect(gitOpsSourceOf(object())).toBeUndefined();
    expect(
      gitOpsSourceOf(object({ 'app.kubernetes.io/managed-by': 'platformops' })),
    ).toBeUndefined();
  });

  it("reads Argo CD's tracking annotation and instance labels", () => {
    expect(
      gitOpsSourceOf(
        object(
          {},
          {
            'argocd.argoproj.io/tracking-id':
              'payments:example.org/Database:team-a/orders',
          },
        ),
      ),
    ).toEqual({ tool: 'argocd', description: 'Argo CD application payments' });
    expect(
      gitOpsSourceOf(object({ 'argocd.argoproj.io/instance': 'infra' })),
    ).toMatchObject({ tool: 'argocd' });
    expect(
      gitOpsSourceOf(object({ 'app.kubernetes.io/instance': 'infra' })),
    ).toMatchObject({ tool: 'argocd' });
  });

  it("leaves Helm's and PlatformOps' own instance label alone", () => {
    for (const manager of ['Helm', 'platformops']) {
      expect(
        gitOpsSourceOf(
          object({
            'app.kubernetes.io/instance': 'orders',
            'app.kubernetes.io/managed-by': manager,
          }),
        ),
      ).toBeUndefined();
    }
  });

  it("reads Flux's Kustomization and HelmRelease labels", () => {
    expect(
      gitOpsSourceOf(
        object({
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        }),
      ),
    ).toEqual({
      tool: 'flux',
      description: 'Flux Kustomization flux-system/apps',
    });
    expect(
      gitOpsSourceOf(object({ 'helm.toolkit.fluxcd.io/name': 'db' })),
    ).toEqual({ tool: 'flux', description: 'Flux HelmRelease db' });
  });

  it("reads PlatformOps' pull-request delivery with its file", () => {
    expect(
      gitOpsSourceOf(
        object(
          {},
          {
            'platformops.io/source-repo': 'github.com?owner=acme&repo=infra',
            'platformops.io/source-path': 'local/team-a/Database/orders.yaml',
          },
        ),
      ),
    ).toEqual({
      tool: 'platformops',
      description:
        'pull request delivery from github.com?owner=acme&repo=infra',
      repoUrl: 'github.com?owner=acme&repo=infra',
      path: 'local/team-a/Database/orders.yaml',
    });
  });
});

describe('argoCdTrackingOf', () => {
  const tracked = (id: string) =>
    argoCdTrackingOf(object({}, { 'argocd.argoproj.io/tracking-id': id }));

  it('reads the application and the object a tracking id names', () => {
    expect(tracked('payments:example.org/Database:team-a/orders')).toEqual({
      application: 'payments',
      tracks: {
        group: 'example.org',
        kind: 'Database',
        namespace: 'team-a',
        name: 'orders',
      },
    });
    // Applications in any namespace; a core, cluster-scoped object.
    expect(tracked('apps_infra:/Namespace:/team-a')).toEqual({
      application: 'apps_infra',
      tracks: { group: '', kind: 'Namespace', namespace: '', name: 'team-a' },
    });
  });

  it('reads label tracking, which names no object', () => {
    expect(
      argoCdTrackingOf(object({ 'argocd.argoproj.io/instance': 'infra' })),
    ).toEqual({ application: 'infra' });
    expect(argoCdTrackingOf(object())).toBeUndefined();
  });
});

describe('fluxOwnerOf', () => {
  it('names the Kustomization or HelmRelease that applies an object', () => {
    expect(
      fluxOwnerOf(
        object({
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        }),
      ),
    ).toEqual({
      kind: 'Kustomization',
      name: 'apps',
      namespace: 'flux-system',
    });
    expect(
      fluxOwnerOf(object({ 'helm.toolkit.fluxcd.io/name': 'db' })),
    ).toEqual({ kind: 'HelmRelease', name: 'db' });
    expect(fluxOwnerOf(object())).toBeUndefined();
  });
});
