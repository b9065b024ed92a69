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
  { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization' },
  { group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease' },
] as const;

/**
 * What delivers an object through Argo CD, as the object says: the
 * application (`<app>` or, with applications in any namespace,
 * `<namespace>_<app>`) and, with annotation tracking, the object the
 * tracking id names (the tool's check that the annotation was not copied
 * onto another object).
 *
 * @public
 */
export interface ArgoCdTracking {
  /**
   * The application's name, after its namespace and an underscore with
   * applications in any namespace.
   */
  application: string;
  /** From `argocd.argoproj.io/tracking-id`; absent with label tracking. */
  tracks?: { group: string; kind: string; namespace: string; name: string };
}

/**
 * The Argo CD application an object names, from its tracking annotation
 * (`<app>:<group>/<kind>:<namespace>/<name>`) or instance label; see
 * {@link gitOpsSourceOf} for when `app.kubernetes.io/instance` counts.
 *
 * @public
 */
export function argoCdTrackingOf(
  object: KubernetesObject,
): ArgoCdTracking | undefined {
  const labels = object.metadata.labels ?? {};
  const trackingId = object.metadata.annotations?.[ARGOCD_TRACKING_ID];
  if (trackingId) {
    const [application, groupKind = '', namespaceName = ''] =
      trackingId.split(':');
    const slash = groupKind.indexOf('/');
    const separator = namespaceName.indexOf('/');
    return {
      application,
      tracks: {
        group: groupKind.slice(0, Math.max(slash, 0)),
        kind: groupKind.slice(slash + 1),
        namespace: namespaceName.slice(0, Math.max(separator, 0)),
        name: namespaceName.slice(separator + 1),
      },
    };
  }
  const application =
    labels[ARGOCD_INSTANCE_LABEL] ??
    (labels[PlatformOpsMetadata.managedByLabel] === undefined
      ? labels[LEGACY_INSTANCE_LABEL]
      : undefined);
  return application ? { application } : undefined;
}

/**
 * The Flux object that applies an object, from the labels Flux sets on
 * what it applies (`<group>/name` and `<group>/namespace`).
 *
 * @public
 */
export function fluxOwnerOf(
  object: KubernetesObject,
):
  | { kind: 'Kustomization' | 'HelmRelease'; name: string; namespace?: string }
  | undefined {
  const labels = object.metadata.labels ?? {};
  for (const { group, kind } of FLUX_OWNERS) {
    const name = labels[`${group}/name`];
    if (name) {
      const namespace = labels[`${group}/namespace`];
      return { kind, name, ...(namespace ? { namespace } : {}) };
    }
  }
  return undefined;
}

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

  const argoCd = argoCdTrackingOf(object);
  if (argoCd) {
    return {
      tool: 'argocd',
      description: `Argo CD application ${argoCd.application}`,
    };
  }
  const flux = fluxOwnerOf(object);
  if (flux) {
    return {
      tool: 'flux',
      description: `Flux ${flux.kind} ${
        flux.namespace ? `${flux.namespace}/` : ''
      }${flux.name}`,
    };
  }
  return undefined;
}
