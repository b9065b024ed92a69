import type { KubernetesObject } from '@platformops/plugin-crossplane-common';

type Schema = Record<string, unknown>;
const string = { type: 'string' };
const object = (properties: Record<string, Schema>) => ({
  type: 'object',
  properties,
});

/**
 * The kinds Argo CD and Flux deliver objects with, as minimal structural
 * CRDs: group, version, kind, namespaced, and the fields of `spec` the
 * pull-request path reads, named as the tools' own CRDs name them (the
 * API server prunes any other). It reads these objects only, so no
 * controller is needed.
 */
function crd(
  group: string,
  version: string,
  kind: string,
  plural: string,
  spec: Record<string, Schema>,
): KubernetesObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: {
        kind,
        plural,
        singular: kind.toLowerCase(),
        listKind: `${kind}List`,
      },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: object(spec),
              },
            },
          },
        },
      ],
    },
  };
}

const argoCdSource = object({
  repoURL: string,
  targetRevision: string,
  path: string,
  chart: string,
  ref: string,
  directory: object({ recurse: { type: 'boolean' } }),
  helm: object({ releaseName: string }),
});

export const GITOPS_TOOL_CRDS = [
  crd('argoproj.io', 'v1alpha1', 'Application', 'applications', {
    project: string,
    source: argoCdSource,
    sources: { type: 'array', items: argoCdSource },
    destination: object({ server: string, name: string, namespace: string }),
  }),
  crd('kustomize.toolkit.fluxcd.io', 'v1', 'Kustomization', 'kustomizations', {
    path: string,
    interval: string,
    prune: { type: 'boolean' },
    targetNamespace: string,
    sourceRef: object({ kind: string, name: string, namespace: string }),
  }),
  crd('source.toolkit.fluxcd.io', 'v1', 'GitRepository', 'gitrepositories', {
    url: string,
    interval: string,
    ref: object({
      branch: string,
      tag: string,
      semver: string,
      name: string,
      commit: string,
    }),
  }),
];
