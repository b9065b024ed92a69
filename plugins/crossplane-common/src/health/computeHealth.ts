import {
  CrossplaneAnnotations,
  getConditions,
  isPaused,
} from '../model/crossplane';
import { isCrossplaneObject } from '../model/classify';
import { Condition, KubernetesObject } from '../model/types';
import { asArray, isRecord, splitApiVersion } from '../model/util';
import { worstHealth } from './compare';
import { fromCondition } from './fromCondition';
import { Health } from './types';
import { jobHealth, podHealth, replicasHealth } from './workloadHealth';

/** Condition types where `True` is bad news. */
const NEGATIVE_TYPES = new Set([
  'ReplicaFailure',
  'Failed',
  'Stalled',
  'Degraded',
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
]);

/** Condition types that say work is under way when `True` (kstatus). */
const IN_PROGRESS_TYPES = new Set(['Reconciling']);

/** Reasons of a `False` condition that mean "not there yet", not "broken". */
const PROGRESSING_REASONS = new Set([
  'Creating',
  'Waiting',
  'Pending',
  'Progressing',
  'Reconciling',
  'Unpacking',
  'UnpackingPackage',
  'Installing',
  'InstallingPackage',
  'AwaitingDependencies',
  'ResolvingDependencies',
  'WaitingForResources',
  'NotReady',
  'ContainersNotReady',
  'PodCompleted',
  'MinimumReplicasUnavailable',
  'ReplicaSetUpdated',
  'WatchingComposedResources',
  'UnknownPackageRevisionHealth',
  'InactivePackageRevision',
]);

/** Kinds that carry no status and are healthy by existing. */
const PASSIVE_KINDS = new Set([
  'Secret',
  'ConfigMap',
  'ServiceAccount',
  'Service',
  'Endpoints',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'Ingress',
  'NetworkPolicy',
  'LimitRange',
  'ResourceQuota',
  'PriorityClass',
  'StorageClass',
  'PodDisruptionBudget',
  'CustomResourceDefinition',
  'ProviderConfig',
  'Composition',
  'CompositionRevision',
  'ProviderConfigUsage',
  'ClusterProviderConfig',
  'EnvironmentConfig',
  'DeploymentRuntimeConfig',
  'ControllerConfig',
  'Usage',
]);

/** The verdict of one condition. */
function conditionHealth(c: Condition): Health {
  if (c.status === 'Unknown') return fromCondition('Progressing', c);
  if (NEGATIVE_TYPES.has(c.type)) {
    return fromCondition(c.status === 'True' ? 'Degraded' : 'Healthy', c);
  }
  if (IN_PROGRESS_TYPES.has(c.type)) {
    return fromCondition(c.status === 'True' ? 'Progressing' : 'Healthy', c);
  }
  if (c.type === 'Progressing') {
    // Deployments: True while rolling out, False when the deadline passed.
    if (c.status === 'False') return fromCondition('Degraded', c);
    return fromCondition(
      c.reason === 'NewReplicaSetAvailable' || !c.reason
        ? 'Healthy'
        : 'Progressing',
      c,
    );
  }
  if (c.status === 'True') return fromCondition('Healthy', c);
  if (c.reason === 'ReconcilePaused') return fromCondition('Paused', c);
  if (c.reason === 'Deleting') return fromCondition('Deleting', c);
  if (c.reason && PROGRESSING_REASONS.has(c.reason)) {
    return fromCondition('Progressing', c);
  }
  return fromCondition('Degraded', c);
}

const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

function later(a: string, b: string): boolean {
  // Kubernetes writes second-precision UTC times, which sort as text.
  if (RFC3339_UTC.test(a) && RFC3339_UTC.test(b)) return a > b;
  return Date.parse(a) > Date.parse(b);
}

function latest(times: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const t of times) {
    if (t && (!best || later(t, best))) best = t;
  }
  return best;
}

/** Health of kinds judged by `status.phase`. */
function phaseHealth(obj: KubernetesObject, group: string): Health | undefined {
  const status = isRecord(obj.status) ? obj.status : {};
  const phase = typeof status.phase === 'string' ? status.phase : undefined;
  if (group !== '') return undefined;
  if (obj.kind === 'PersistentVolumeClaim' || obj.kind === 'PersistentVolume') {
    if (phase === 'Bound' || phase === 'Available')
      return { status: 'Healthy', reason: phase };
    if (phase === 'Pending') return { status: 'Progressing', reason: phase };
    if (phase === 'Lost' || phase === 'Failed')
      return { status: 'Degraded', reason: phase };
  }
  if (obj.kind === 'Namespace') {
    if (phase === 'Terminating') return { status: 'Deleting', reason: phase };
    return { status: 'Healthy', reason: phase ?? 'Active' };
  }
  return undefined;
}

function workloadHealth(
  obj: KubernetesObject,
  group: string,
  conditions: Condition[],
): Health | undefined {
  if (
    group === 'apps' &&
    (obj.kind === 'Deployment' ||
      obj.kind === 'StatefulSet' ||
      obj.kind === 'DaemonSet' ||
      obj.kind === 'ReplicaSet')
  ) {
    return replicasHealth(
      obj,
      conditions.some(c => conditionHealth(c).status === 'Degraded'),
    );
  }
  return undefined;
}

/**
 * One health value for any object, from (in this order) its
 * `deletionTimestamp` (`Deleting`), Crossplane's `crossplane.io/paused`
 * annotation (`Paused`), and its conditions: Crossplane's `Ready` and
 * `Synced`, packages' `Installed` and `Healthy`, XRDs' `Established` and
 * `Offered`, Kubernetes' `Available`, `Progressing`, `ReplicaFailure` and
 * the like. The worst condition decides; a `False` condition whose reason
 * means "not there yet" (`Creating`, `Waiting`, ...) is `Progressing`, an
 * `Unknown` one too. Pods, Jobs, volume claims and workloads are judged by
 * their phase and replicas as well. Objects without conditions are
 * `Healthy` when their kind has no status (Secrets, ConfigMaps, ...),
 * `Progressing` when they look like Crossplane resources not yet
 * reconciled, `Unknown` otherwise. Healthy conditions observed for an
 * older `metadata.generation` make it `Progressing`. Never throws.
 *
 * @public
 */
export function computeHealth(obj: KubernetesObject): Health {
  if (!isRecord(obj)) {
    return { status: 'Unknown', reason: 'Invalid', message: 'not an object' };
  }
  const meta = isRecord(obj.metadata) ? obj.metadata : undefined;
  const conditions = getConditions(obj);
  const verdicts = conditions.map(conditionHealth);
  const worstCondition = worstHealth(verdicts);

  if (typeof meta?.deletionTimestamp === 'string' && meta.deletionTimestamp) {
    const h: Health = {
      status: 'Deleting',
      reason: 'Deleting',
      since: meta.deletionTimestamp,
    };
    const finalizers = asArray(meta.finalizers).filter(
      (f): f is string => typeof f === 'string',
    );
    if (worstCondition.status === 'Degraded' && worstCondition.message) {
      h.message = worstCondition.message;
    } else if (finalizers.length > 0) {
      h.message = `waiting for finalizers: ${finalizers.join(', ')}`;
    } else {
      h.message = 'being deleted';
    }
    return h;
  }

  if (isPaused(obj)) {
    const pausedCondition = verdicts.find(v => v.status === 'Paused');
    const h: Health = {
      status: 'Paused',
      reason: 'ReconcilePaused',
      message: `reconciliation is paused by the ${CrossplaneAnnotations.paused} annotation`,
    };
    if (pausedCondition?.since) h.since = pausedCondition.since;
    return h;
  }

  const { group } = splitApiVersion(
    typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
  );
  // Pods and Jobs are judged whole by their own rules (workloadHealth.ts).
  if (group === '' && obj.kind === 'Pod') return podHealth(obj);
  if (group === 'batch' && obj.kind === 'Job') return jobHealth(obj);
  const special =
    phaseHealth(obj, group) ?? workloadHealth(obj, group, conditions);
  if (special) {
    if (verdicts.length === 0) return special;
    if (special.status !== 'Healthy')
      return worstHealth([special, worstCondition]);
  }

  if (verdicts.length === 0) {
    if (PASSIVE_KINDS.has(obj.kind)) {
      return { status: 'Healthy', reason: 'Exists' };
    }
    // Crossplane has not reconciled it yet; anything else just never says.
    if (isCrossplaneObject(obj)) {
      return {
        status: 'Progressing',
        reason: 'NotReconciled',
        message: 'no status conditions yet',
      };
    }
    return {
      status: 'Unknown',
      reason: 'NoConditions',
      message: 'the object reports no status conditions',
    };
  }

  if (worstCondition.status === 'Healthy') {
    // Conditions written for an older generation say nothing of the spec
    // as it is now.
    const generation = meta?.generation;
    const stale =
      typeof generation === 'number'
        ? conditions.find(
            c =>
              typeof c.observedGeneration === 'number' &&
              c.observedGeneration < generation,
          )
        : undefined;
    if (stale) {
      return {
        status: 'Progressing',
        reason: 'NotObserved',
        message: `generation ${generation} not yet observed (${stale.type} is for generation ${stale.observedGeneration})`,
        condition: stale.type,
      };
    }
    const h: Health = { status: 'Healthy' };
    const ready =
      conditions.find(c => c.type === 'Ready') ??
      conditions.find(c => c.type === 'Healthy') ??
      conditions.find(c => c.type === 'Available') ??
      conditions.find(c => c.type === 'Established');
    if (ready?.reason) h.reason = ready.reason;
    if (ready?.message) h.message = ready.message;
    const since = latest(conditions.map(c => c.lastTransitionTime));
    if (since) h.since = since;
    return h;
  }
  return worstCondition;
}
