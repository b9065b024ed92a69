import type { KubernetesObject } from '@platformops/plugin-crossplane-common';

/**
 * Options of {@link largeProviderCrds}.
 *
 * @public
 */
export interface LargeProviderOptions {
  /**
   * Base of the API groups: kinds live in `svcN.<base>` (cluster-scoped, as
   * Crossplane v1 managed resources) and `svcN.m.<base>` (namespaced, as
   * Crossplane v2's `.m.` managed resources).
   */
  baseGroup: string;
  /** CRDs in all, half of each scope. */
  count: number;
  /** Kinds per API group; the AWS provider has about 12 on average. */
  kindsPerGroup?: number;
}

/** Fields of `spec.forProvider`, typed as a provider's generated schema. */
const FOR_PROVIDER_FIELDS = [
  'region',
  'name',
  'description',
  'kmsKeyId',
  'roleArn',
  'subnetId',
  'vpcId',
  'engine',
  'instanceClass',
  'storageType',
];

function schema(): Record<string, unknown> {
  const strings = Object.fromEntries(
    FOR_PROVIDER_FIELDS.map(f => [f, { type: 'string' }]),
  );
  return {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          properties: {
            deletionPolicy: { type: 'string', enum: ['Delete', 'Orphan'] },
            forProvider: {
              type: 'object',
              properties: {
                ...strings,
                tags: {
                  type: 'object',
                  additionalProperties: { type: 'string' },
                },
                allocatedStorage: { type: 'number' },
              },
            },
            providerConfigRef: {
              type: 'object',
              properties: { name: { type: 'string' } },
            },
            writeConnectionSecretToRef: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                namespace: { type: 'string' },
              },
            },
          },
        },
        status: {
          type: 'object',
          properties: {
            atProvider: {
              type: 'object',
              properties: { ...strings, arn: { type: 'string' } },
            },
            conditions: {
              type: 'array',
              items: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        },
      },
    },
  };
}

/**
 * CRDs shaped like a large provider's installed whole (the AWS provider
 * installs about 2,000): many API groups of about a dozen managed-resource
 * kinds each, category `managed`, half of them cluster-scoped v1 kinds and
 * half namespaced `.m.` kinds, each with a provider-like schema.
 *
 * @public
 */
export function largeProviderCrds(
  options: LargeProviderOptions,
): KubernetesObject[] {
  const perGroup = options.kindsPerGroup ?? 12;
  const crds: KubernetesObject[] = [];
  for (let i = 0; i < options.count; i++) {
    const namespaced = i % 2 === 1;
    const index = Math.floor(i / 2);
    const service = `svc${Math.floor(index / perGroup)}`;
    const group = namespaced
      ? `${service}.m.${options.baseGroup}`
      : `${service}.${options.baseGroup}`;
    const kind = `Resource${index % perGroup}`;
    const plural = `${kind.toLowerCase()}s`;
    crds.push({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: `${plural}.${group}`,
        labels: { 'platformops.io/generated-by': options.baseGroup },
      },
      spec: {
        group,
        scope: namespaced ? 'Namespaced' : 'Cluster',
        names: {
          kind,
          listKind: `${kind}List`,
          plural,
          singular: kind.toLowerCase(),
          categories: ['crossplane', 'managed', 'generated'],
        },
        versions: [
          {
            name: 'v1beta1',
            served: true,
            storage: true,
            subresources: { status: {} },
            additionalPrinterColumns: [
              {
                name: 'READY',
                type: 'string',
                jsonPath: ".status.conditions[?(@.type=='Ready')].status",
              },
              {
                name: 'SYNCED',
                type: 'string',
                jsonPath: ".status.conditions[?(@.type=='Synced')].status",
              },
            ],
            schema: schema(),
          },
        ],
      },
    });
  }
  return crds;
}

/**
 * A managed resource of a CRD of {@link largeProviderCrds}; namespaced kinds
 * need `namespace`.
 *
 * @public
 */
export function largeProviderObject(
  crd: KubernetesObject,
  name: string,
  namespace?: string,
): KubernetesObject {
  const spec = crd.spec as {
    group: string;
    scope: string;
    names: { kind: string };
    versions: { name: string }[];
  };
  return {
    apiVersion: `${spec.group}/${spec.versions[0].name}`,
    kind: spec.names.kind,
    metadata: {
      name,
      namespace: spec.scope === 'Namespaced' ? namespace : undefined,
    },
    spec: {
      deletionPolicy: 'Delete',
      forProvider: { region: 'eu-west-1', tags: { team: 'bench' } },
      providerConfigRef: { name: 'default' },
    },
  };
}
