import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

/** A local control plane instance (`tools/controlplane`): its name and port. */
export type ControlPlaneInstance = {
  name: string;
  port: number;
  crossplane?: 'v1' | 'v2';
};

/** Crossplane v1: claims, cluster-scoped composites. */
export const ITEST: ControlPlaneInstance = { name: 'itest', port: 6643 };

/** Crossplane v2: namespaced XRs, no claims, `.m.` managed resources. */
export const ITEST3: ControlPlaneInstance = {
  name: 'itest3',
  port: 6843,
  crossplane: 'v2',
};

/** What a started instance offers a test. */
export type ControlPlane = {
  name: string;
  url: string;
  caPem: string;
  /** Admin token (system:masters): for setup and checks only. */
  adminToken: string;
  /**
   * The team users' own tokens (alice of group team-alpha, bob of
   * team-beta), as an identity provider would issue them.
   */
  userTokens: Record<string, string>;
  /** The portal's cluster entry, with its least-privilege token. */
  backstageCluster: {
    name: string;
    url: string;
    authProvider: 'serviceAccount';
    serviceAccountToken: string;
    caData: string;
  };
};

/**
 * The instance, up and seeded with the demo (its claims Ready), with an
 * admin client for the test's own objects and checks.
 */
export function connectControlPlane(
  instance: ControlPlaneInstance,
): ControlPlane & { admin: KubernetesClusterClient } {
  const cp: ControlPlane = controlPlane.ensureControlPlane({
    ...instance,
    seed: true,
    waitReady: true,
  });
  const admin = KubernetesClusterClient.fromConfig({
    ...cp.backstageCluster,
    serviceAccountToken: cp.adminToken,
    skipTLSVerify: false,
  });
  return { ...cp, admin };
}
