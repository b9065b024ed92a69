import { TemplateParameterStep } from './types';

/**
 * Keys of the "Delivery" step: where the resource goes and how. Like the
 * "Resource" step's keys they are never spec values; a spec field with one of
 * these names appears in the form as `spec_<name>`.
 *
 * @public
 */
export const DELIVERY_FORM_KEYS = ['cluster', 'delivery', 'repoUrl'] as const;

/**
 * How a template run delivers the resource: `apply` creates it in the
 * cluster at once; `pull-request` commits it to a GitOps repository.
 *
 * @public
 */
export type Delivery = 'apply' | 'pull-request';

/**
 * Options of {@link deliveryFormStep}.
 *
 * @public
 */
export interface DeliveryFormOptions {
  /** Clusters to choose from, the default first. At least one. */
  clusters: string[];
  /**
   * Offer a pull request to a GitOps repository besides applying, with a
   * repository picker limited to these hosts.
   */
  gitops?: { allowedHosts: string[] };
}

/**
 * The first step of a generated form: the cluster, and (with `gitops`) the
 * choice of applying the resource or opening a pull request, with the
 * repository asked for only when a pull request is chosen. First, because
 * the namespace and Composition pickers of the next step ask the cluster
 * chosen here.
 *
 * @public
 */
export function deliveryFormStep(
  options: DeliveryFormOptions,
): TemplateParameterStep {
  const [first] = options.clusters;
  if (first === undefined)
    throw new TypeError('deliveryFormStep: at least one cluster is needed');
  const step: TemplateParameterStep = {
    title: 'Delivery',
    required: ['cluster'],
    properties: {
      cluster: {
        type: 'string',
        title: 'Cluster',
        description: 'Cluster the resource is created in.',
        enum: options.clusters,
        default: first,
      },
    },
  };
  if (!options.gitops) return step;
  step.required!.push('delivery');
  step.properties.delivery = {
    type: 'string',
    title: 'How',
    enum: ['apply', 'pull-request'] satisfies Delivery[],
    'ui:enumNames': [
      'Create it in the cluster now',
      'Open a pull request to a GitOps repository',
    ],
    default: 'apply',
    'ui:widget': 'radio',
  };
  step.dependencies = {
    delivery: {
      oneOf: [
        { properties: { delivery: { const: 'apply' } } },
        {
          properties: {
            delivery: { const: 'pull-request' },
            repoUrl: {
              type: 'string',
              title: 'GitOps repository',
              description:
                'Repository the cluster is synced from; the pull request adds the manifest to it.',
              'ui:field': 'RepoUrlPicker',
              'ui:options': { allowedHosts: options.gitops.allowedHosts },
            },
          },
          required: ['repoUrl'],
        },
      ],
    },
  };
  return step;
}
