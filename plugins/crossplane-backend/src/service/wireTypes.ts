import type {
  Condition,
  Health,
  ObjectRef,
} from '@platformops/plugin-crossplane-common';

/** What `GET /clusters` returns for each cluster. */
export interface ClusterStatusItem {
  name: string;
  reachable: boolean;
  synced: boolean;
  kubernetesVersion?: string;
  objectCount: number;
  lastError?: string;
  lastErrorAt?: string;
}

/** A node of `GET /tree`. */
export interface TreeNodeResponse {
  ref: ObjectRef;
  objectClass: string;
  health: Health;
  rolledUpHealth: Health;
  conditions: Condition[];
  culpritPath?: ObjectRef[];
  missing?: boolean;
  entityRef?: string;
  children: TreeNodeResponse[];
}

/** One claim or standalone composite of `GET /summary`. */
export interface ResourceSummary {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  objectClass: 'claim' | 'composite';
  xrd?: string;
  owner?: string;
  entityRef?: string;
  health: Health;
  rolledUpHealth: Health;
  culpritPath?: ObjectRef[];
  culprit?: { ref: ObjectRef; health: Health };
}

/** A Kubernetes event of `GET /events`. */
export interface EventItem {
  involvedObject: ObjectRef;
  type: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
}
