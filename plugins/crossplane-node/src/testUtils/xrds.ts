import { KubernetesObject } from '@platformops/plugin-crossplane-common';

/**
 * A v1 XRD with claims, nested parameters and an enum, as Crossplane 1.x
 * serves it: the one XRD the unit tests of the backend packages share.
 *
 * @public
 */
export const postgresXrd: KubernetesObject = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'CompositeResourceDefinition',
  metadata: { name: 'xpostgresqlinstances.database.example.org', uid: 'xrd-1' },
  spec: {
    group: 'database.example.org',
    names: { kind: 'XPostgreSQLInstance', plural: 'xpostgresqlinstances' },
    claimNames: { kind: 'PostgreSQLInstance', plural: 'postgresqlinstances' },
    connectionSecretKeys: ['username', 'password'],
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        referenceable: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  parameters: {
                    type: 'object',
                    properties: {
                      version: {
                        type: 'string',
                        enum: ['15', '16', '17'],
                        default: '17',
                      },
                      storage: {
                        type: 'object',
                        properties: {
                          sizeGB: {
                            type: 'integer',
                            minimum: 10,
                            maximum: 1000,
                          },
                        },
                        required: ['sizeGB'],
                      },
                    },
                    required: ['storage'],
                  },
                },
                required: ['parameters'],
              },
            },
          },
        },
      },
    ],
  },
  status: {
    conditions: [
      {
        type: 'Established',
        status: 'True',
        reason: 'WatchingCompositeResource',
      },
    ],
  },
};

/**
 * A v1 XRD with claims and no schema: for tests of what is not the form.
 *
 * @public
 */
export const bucketXrd: KubernetesObject = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'CompositeResourceDefinition',
  metadata: { name: 'xbuckets.storage.example.org' },
  spec: {
    group: 'storage.example.org',
    names: { kind: 'XBucket', plural: 'xbuckets' },
    claimNames: { kind: 'Bucket', plural: 'buckets' },
    versions: [{ name: 'v1alpha1', served: true, referenceable: true }],
  },
};
