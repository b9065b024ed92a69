import { PlatformOpsMetadata } from '../render/platformOpsMetadata';
import type { CrossplaneGitOpsSource } from '../status/day2';
import type { KubernetesObject } from './types';

/** Argo CD's tracking annotation: `<app>:<group>/<kind>:<namespace>/<name>`. */
const ARGOCD_TRACKING_ID = 'argocd.argoproj.io/tracking-id';
/** The label Argo CD installs commonly configure for label tracking. */
const ARGOCD_INSTANCE_LABEL = 'argocd.argoproj.io/instance';
/** Argo CD's default tracking label before v3 (Helm sets it too). */
const LEGACY_INSTANCE_LABEL = 'app.kubernetes.io/instance';
const FLUX_OWNERS = [
  { group: 'kustomize.toolkit.fluxcd.io', what: 'Flux Kustomization' },
  { group: 'helm.toolkit.fluxcd.io', what: 'Flux HelmRelease' },
];

/**
 * Whether Git is the source of truth of an object, and through which tool:
 * Argo CD (tracking annotation or instance label), Flux (its Kustomization
 * or HelmRelease labels) or PlatformOps' own pull-request delivery (the
 * repository annotations it renders). Such an object is never written by
 * the portal: a change is proposed in Git instead, or the GitOps
 * controller would revert it (or prune what the portal made).
 *
 * `app.kubernetes.io/instance` counts as Argo CD's only on an object that
 * no tool claims with `app.kubernetes.io/managed-by` (Helm and PlatformOps
 * set that label and use the instance label for themselves).
 *
 * @public
 */
export function gitOpsSourceOf(
  object: KubernetesObject,
): CrossplaneGitOpsSource | undefined {
  const labels = object.metadata.labels ?? {};
  const annotations = object.metadata.annotations ?? {};

  const repoUrl = annotations[PlatformOpsMetadata.sourceRepoAnnotation];
  if (repoUrl) {
    const path = annotations[PlatformOpsMetadata.sourcePathAnnotation];
    return {
      tool: 'platformops',
      description: `pull request delivery from ${repoUrl}`,
      repoUrl,
      ...(path ? { path } : {}),
    };
  }

  const trackingId = annotations[ARGOCD_TRACKING_ID];
  if (trackingId) {
    const app = trackingId.split(':')[0];
    return { tool: 'argocd', description: `Argo CD application ${app}` };
  }
  const argoApp =
    labels[ARGOCD_INSTANCE_LABEL] ??
    (labels[PlatformOpsMetadata.managedByLabel] === undefined
      ? labels[LEGACY_INSTANCE_LABEL]
      : undefined);
  if (argoApp) {
    return { tool: 'argocd', description: `Argo CD application ${argoApp}` };
  }

  for (const { group, what } of FLUX_OWNERS) {
    const name = labels[`${group}/name`];
    if (name) {
      const namespace = labels[`${group}/namespace`];
      return {
        tool: 'flux',
        description: `${what} ${namespace ? `${namespace}/` : ''}${name}`,
      };
    }
  }
  return undefined;
}
