import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  KubernetesObject,
  parseXrd,
  resolveXrdTarget,
  xrdToTemplateParameters,
} from '@platformops/plugin-crossplane-common';
import { objectEntityName } from '@platformops/plugin-crossplane-node';
import { JsonArray } from '@backstage/types';
import { CROSSPLANE_ANNOTATIONS } from './annotations';
import { CrossplaneProviderConfig } from './config';

/**
 * A software template that creates a claim (or composite) of an XRD in one
 * cluster: the form comes from the XRD's schema, the steps render, apply
 * and wait until Ready, and the output links to the entity the catalog will
 * ingest. Undefined for an XRD that cannot be read or offers no version.
 */
export function xrdTemplate(
  object: KubernetesObject,
  cluster: string,
  config: CrossplaneProviderConfig,
): Entity | undefined {
  let xrd;
  let parameters;
  try {
    xrd = parseXrd(object);
    parameters = xrdToTemplateParameters(xrd);
  } catch {
    return undefined;
  }
  const target = resolveXrdTarget(xrd);
  const kind =
    target === 'claim' && xrd.claimNames ? xrd.claimNames.kind : xrd.names.kind;
  const location = `crossplane:cluster/${cluster}`;
  const description =
    (object.metadata.annotations?.['platformops.io/description'] as
      | string
      | undefined) ??
    `Creates a ${kind} (${xrd.group}) in cluster ${cluster} and waits until it is Ready.`;
  const objectParams = {
    cluster,
    apiVersion: '${{ steps.render.output.apiVersion }}',
    kind: '${{ steps.render.output.kind }}',
    name: '${{ steps.render.output.name }}',
    namespace: '${{ steps.render.output.namespace }}',
  };
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: objectEntityName({
        cluster,
        kind: 'template',
        name: `create-${kind.toLowerCase()}`,
      }),
      namespace: config.entityNamespace,
      title: `${kind} in ${cluster}`,
      description,
      tags: ['crossplane', kind.toLowerCase()],
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [CROSSPLANE_ANNOTATIONS.cluster]: cluster,
        'platformops.io/xrd': xrd.name,
      },
    },
    spec: {
      type: 'crossplane-resource',
      owner: config.owner.defaultOwner,
      // The steps are plain JSON Schema objects.
      parameters: parameters as unknown as JsonArray,
      steps: [
        {
          id: 'render',
          name: `Render the ${kind}`,
          action: 'crossplane:render',
          input: {
            cluster,
            xrd: xrd.name,
            target,
            parameters: '${{ parameters }}',
          },
        },
        {
          id: 'apply',
          name: `Create the ${kind} in ${cluster}`,
          action: 'crossplane:apply',
          input: { cluster, manifest: '${{ steps.render.output.manifest }}' },
        },
        {
          id: 'wait',
          name: 'Wait until it is Ready and Synced',
          action: 'crossplane:wait',
          input: { ...objectParams, timeoutSeconds: 900 },
        },
      ],
      output: {
        links: [
          {
            title: `Open the ${kind}`,
            icon: 'catalog',
            entityRef: '${{ steps.render.output.entityRef }}',
          },
        ],
        text: [
          {
            title: 'Manifest',
            content: '```yaml\n${{ steps.render.output.yaml }}\n```',
          },
        ],
      },
    },
  };
}
