import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVICEACCOUNT_CA_PATH } from '@backstage/plugin-kubernetes-common';
import type {
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import { SERVICE_ACCOUNT_TOKEN_KEY } from '../clusters/clusterDetails';

/** The pod's own service account token, beside the CA the kubernetes plugin reads. */
const POD_TOKEN_PATH = path.join(path.dirname(SERVICEACCOUNT_CA_PATH), 'token');

/**
 * The `serviceAccount` provider as the kubernetes plugin's strategy reads
 * it: the cluster's `serviceAccountToken`, else the pod's own token (read
 * at each ask: the kubelet rotates it). The plugin's own class loads
 * client-node with a dynamic import that Jest refuses, so every test of a
 * backend with a cluster would fail; this one does the same without it.
 */
export class ServiceAccountTokenStrategy implements AuthenticationStrategy {
  async getCredential(cluster: ClusterDetails): Promise<KubernetesCredential> {
    const token =
      cluster.authMetadata[SERVICE_ACCOUNT_TOKEN_KEY] ||
      fs.readFileSync(POD_TOKEN_PATH, 'utf8').trim();
    return { type: 'bearer token', token };
  }

  validateCluster(): Error[] {
    return [];
  }

  presentAuthMetadata(): Record<string, string> {
    return {};
  }
}
