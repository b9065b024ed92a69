import {
  type KubernetesObject,
  podFacts,
  podHealth,
} from '@platformops/plugin-crossplane-common';
import { slimPod } from './slimObject';

const pod: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'payments-api-7d9c-x2k4',
    namespace: 'team-alpha',
    labels: { 'backstage.io/kubernetes-id': 'payments-api' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'payments-api-7d9c',
        uid: 'rs-1',
      },
    ],
    managedFields: [{ manager: 'kube-controller-manager' }],
  },
  spec: {
    nodeName: 'kwok-node-0',
    containers: [
      {
        name: 'api',
        image: 'registry.example.com/payments-api:1.4.2',
        env: [{ name: 'DB_PASSWORD', value: 'canary-not-for-the-cache' }],
        volumeMounts: [{ name: 'certs', mountPath: '/certs' }],
      },
    ],
    volumes: [{ name: 'certs', secret: { secretName: 'payments-certs' } }],
  },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      {
        name: 'api',
        ready: false,
        restartCount: 14,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
      },
    ],
  },
};

describe('slimPod', () => {
  it('keeps where the pod runs, its containers and its status, and nothing of its spec besides', () => {
    const slim = slimPod(pod);
    expect(slim.spec).toEqual({
      nodeName: 'kwok-node-0',
      containers: [{ name: 'api' }],
    });
    expect(slim.status).toEqual(pod.status);
    expect(slim.metadata.labels).toEqual(pod.metadata.labels);
    expect(slim.metadata.ownerReferences).toEqual(pod.metadata.ownerReferences);
    expect(JSON.stringify(slim)).not.toContain('canary-not-for-the-cache');
    expect(JSON.stringify(slim)).not.toContain('managedFields');
  });

  it('leaves the pod judged as before', () => {
    expect(podHealth(slimPod(pod))).toEqual(podHealth(pod));
    expect(podFacts(slimPod(pod))).toEqual(podFacts(pod));
  });
});
