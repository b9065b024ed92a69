import { Config } from '@backstage/config';
import {
  argoCdTrackingOf,
  CrossplaneObjectId,
  dns1123SubdomainProblem,
  fluxOwnerOf,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '@platformops/plugin-crossplane-node';
import { folderPathOf } from './gitRepository';
import { NamespaceRule } from './manifestFile';

/** Where the namespaces of Argo CD's applications are configured. */
export const ARGOCD_NAMESPACES_CONFIG_KEY =
  'crossplane.gitops.argocd.namespaces';

/** Where the namespaces of Flux's Kustomizations are configured. */
export const FLUX_NAMESPACES_CONFIG_KEY = 'crossplane.gitops.flux.namespaces';

/** The namespaces each tool's objects are read in, besides the object's own for Flux. */
export interface GitOpsToolNamespaces {
  argoCdNamespaces: string[];
  fluxNamespaces: string[];
}

/** A folder of a repository a GitOps tool applies. */
export interface GitFolder {
  /** The repository as the tool names it (`spec.repoURL`, `spec.url`). */
  repoUrl: string;
  /** The revision the tool follows; a branch is proposed to, else the default. */
  revision?: string;
  /** Inside the repository; `''` is its root. */
  path: string;
  /** Whether the tool applies the files of subfolders too. */
  recursive: boolean;
}

/**
 * Where a GitOps tool takes an object from, as the cluster says: the
 * folders it applies and how it sets their documents' namespace.
 */
export interface GitDelivery {
  folders: GitFolder[];
  namespace: NamespaceRule;
}

/** Why the portal opens no pull request for an object a tool delivers. */
export class NoPullRequest extends Error {}

/** The namespaces whose Argo CD applications the portal reads. */
export function argoCdNamespacesFromConfig(config: Config): string[] {
  const namespaces = config.getOptionalStringArray(
    ARGOCD_NAMESPACES_CONFIG_KEY,
  );
  return namespaces?.length ? namespaces : ['argocd'];
}

/**
 * The namespaces whose Flux Kustomizations the portal reads besides the
 * object's own (a tenant's Kustomization delivers its own namespace).
 */
export function fluxNamespacesFromConfig(config: Config): string[] {
  const namespaces = config.getOptionalStringArray(FLUX_NAMESPACES_CONFIG_KEY);
  return namespaces?.length ? namespaces : ['flux-system'];
}

type Spec = Record<string, any>;

/** How an Argo CD application names the cluster Argo CD runs in. */
const ARGOCD_IN_CLUSTER = {
  server: 'https://kubernetes.default.svc',
  name: 'in-cluster',
};

async function read(
  client: ClusterClient,
  what: string,
  locator: {
    apiVersion: string;
    kind: string;
    namespace: string;
    name: string;
  },
): Promise<Spec> {
  for (const value of [locator.namespace, locator.name]) {
    const problem = dns1123SubdomainProblem(value);
    if (problem) throw new NoPullRequest(`${what} '${value}' ${problem}`);
  }
  let object: KubernetesObject | undefined;
  try {
    object = await client.get(locator);
  } catch (error) {
    throw new NoPullRequest(
      `${what} ${locator.namespace}/${
        locator.name
      } could not be read from the cluster: ${(error as Error).message}`,
    );
  }
  if (!object) {
    throw new NoPullRequest(
      `${what} ${locator.namespace}/${locator.name} is not in the cluster`,
    );
  }
  return (object.spec ?? {}) as Spec;
}

function folder(value: unknown, what: string): string {
  const path = folderPathOf(typeof value === 'string' ? value : '');
  if (path === undefined) {
    throw new NoPullRequest(`${what} is not a folder inside the repository`);
  }
  return path;
}

/**
 * An Argo CD application's source: its tracking id must name this very
 * object (a copied annotation names another); the application is read in
 * the configured namespaces only and must deploy to the cluster it is
 * read from; a source rendered from a Helm chart, its
 * values or a plugin declares the object in no file.
 */
async function argoCdDelivery(
  client: ClusterClient,
  id: CrossplaneObjectId,
  object: KubernetesObject,
  namespaces: string[],
): Promise<GitDelivery> {
  const tracking = argoCdTrackingOf(object)!;
  const { tracks } = tracking;
  if (
    tracks &&
    (tracks.group !== id.group ||
      tracks.kind !== id.kind ||
      tracks.namespace !== (id.namespace ?? '') ||
      tracks.name !== id.name)
  ) {
    throw new NoPullRequest(
      `its argocd.argoproj.io/tracking-id names ${tracks.kind}${
        tracks.group ? `.${tracks.group}` : ''
      } ${tracks.namespace ? `${tracks.namespace}/` : ''}${
        tracks.name
      }, not this object`,
    );
  }
  const separator = tracking.application.indexOf('_');
  const [namespace, name] =
    separator < 0
      ? [namespaces[0], tracking.application]
      : [
          tracking.application.slice(0, separator),
          tracking.application.slice(separator + 1),
        ];
  if (!namespaces.includes(namespace)) {
    throw new NoPullRequest(
      `its Argo CD application is in namespace ${namespace}, not among those the portal reads (${ARGOCD_NAMESPACES_CONFIG_KEY}: ${namespaces.join(
        ', ',
      )})`,
    );
  }
  const spec = await read(client, 'Argo CD application', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    namespace,
    name,
  });
  // A hub's application of another cluster declares that cluster's objects:
  // a copied tracking id would have this cluster's namesake change them.
  const target: Spec = spec.destination ?? {};
  if (
    (target.server && target.server !== ARGOCD_IN_CLUSTER.server) ||
    (target.name && target.name !== ARGOCD_IN_CLUSTER.name)
  ) {
    throw new NoPullRequest(
      `Argo CD application ${namespace}/${name} deploys to another cluster (${
        target.name || target.server
      }): its files declare that cluster's objects, not this one's`,
    );
  }
  const sources: Spec[] = Array.isArray(spec.sources)
    ? spec.sources
    : [spec.source ?? {}];
  const folders = sources
    // A chart, Helm values or a plugin render the object: no file holds it.
    .filter(s => s && s.path !== undefined && !s.chart && !s.helm && !s.plugin)
    .map((source, i) => ({
      repoUrl: String(source.repoURL ?? ''),
      ...(source.targetRevision && source.targetRevision !== 'HEAD'
        ? {
            revision: String(source.targetRevision).replace(
              /^refs\/heads\//,
              '',
            ),
          }
        : {}),
      path: folder(source.path, `its application's source ${i + 1} path`),
      recursive: source.directory?.recurse === true,
    }));
  if (folders.length === 0) {
    throw new NoPullRequest(
      `Argo CD application ${namespace}/${name} renders it from a Helm chart, its values or a plugin: no file in Git declares it`,
    );
  }
  const destination = spec.destination?.namespace;
  return {
    folders,
    namespace:
      typeof destination === 'string' && destination
        ? { default: destination }
        : {},
  };
}

/**
 * A Flux Kustomization's GitRepository and path, when it applies to the
 * cluster it is read from. A HelmRelease renders
 * the object from a chart and its values: no file declares it.
 */
async function fluxDelivery(
  client: ClusterClient,
  object: KubernetesObject,
  namespaces: string[],
): Promise<GitDelivery> {
  const owner = fluxOwnerOf(object)!;
  if (owner.kind === 'HelmRelease') {
    throw new NoPullRequest(
      'a Flux HelmRelease renders it from a Helm chart and its values: no file in Git declares it',
    );
  }
  if (!owner.namespace) {
    throw new NoPullRequest(
      'its kustomize.toolkit.fluxcd.io/namespace label is not set',
    );
  }
  // Labels are the object's writer's to set: a Kustomization of another
  // tenant's namespace is never read, so nothing of it (not even whether it
  // exists) comes back in the refusal.
  if (
    owner.namespace !== object.metadata.namespace &&
    !namespaces.includes(owner.namespace)
  ) {
    throw new NoPullRequest(
      `its Flux Kustomization is in another namespace than the object's and not among those the portal reads (${FLUX_NAMESPACES_CONFIG_KEY}: ${namespaces.join(
        ', ',
      )})`,
    );
  }
  const spec = await read(client, 'Flux Kustomization', {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    namespace: owner.namespace,
    name: owner.name,
  });
  // Applied to a remote cluster: its files declare that cluster's objects.
  if (spec.kubeConfig) {
    throw new NoPullRequest(
      `Flux Kustomization ${owner.namespace}/${owner.name} applies to another cluster (spec.kubeConfig): its files declare that cluster's objects, not this one's`,
    );
  }
  const sourceRef: Spec = spec.sourceRef ?? {};
  if (sourceRef.kind !== 'GitRepository') {
    throw new NoPullRequest(
      `Flux Kustomization ${owner.namespace}/${owner.name} applies a ${
        sourceRef.kind ?? 'source'
      }, not a GitRepository`,
    );
  }
  const repository = await read(client, 'Flux GitRepository', {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    namespace: String(sourceRef.namespace ?? owner.namespace),
    name: String(sourceRef.name ?? ''),
  });
  const ref: Spec = repository.ref ?? {};
  // Flux follows a commit, tag or semver range before a branch.
  const branch =
    ref.commit || ref.name || ref.semver || ref.tag ? undefined : ref.branch;
  return {
    folders: [
      {
        repoUrl: String(repository.url ?? ''),
        ...(branch ? { revision: String(branch) } : {}),
        path: folder(spec.path, 'its Kustomization spec.path'),
        // Flux applies every manifest under the path.
        recursive: true,
      },
    ],
    namespace: spec.targetNamespace
      ? { override: String(spec.targetNamespace) }
      : {},
  };
}

/**
 * Where Argo CD or Flux takes the object from, read with the client of
 * the object's cluster: never from the request. Throws
 * {@link NoPullRequest} saying why there is no file to propose a change
 * to.
 */
export function gitDeliveryOf(
  client: ClusterClient,
  id: CrossplaneObjectId,
  object: KubernetesObject,
  tool: 'argocd' | 'flux',
  options: GitOpsToolNamespaces,
): Promise<GitDelivery> {
  return tool === 'argocd'
    ? argoCdDelivery(client, id, object, options.argoCdNamespaces)
    : fluxDelivery(client, object, options.fluxNamespaces);
}
