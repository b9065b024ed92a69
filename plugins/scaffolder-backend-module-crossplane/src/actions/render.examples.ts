import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Render a PostgreSQL claim from the form values',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'crossplane:render',
          name: 'Render the claim',
          input: {
            cluster: '${{ parameters.cluster }}',
            xrd: 'xpostgresqlinstances.database.example.org',
            name: '${{ parameters.name }}',
            namespace: '${{ parameters.namespace }}',
            owner: '${{ parameters.owner }}',
            values: {
              parameters: { storageGB: '${{ parameters.storageGB }}' },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render every field of a form generated from the XRD, and write it for a pull request',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'crossplane:render',
          name: 'Render the manifest into the workspace',
          input: {
            cluster: '${{ parameters.cluster }}',
            xrd: 'xbuckets.storage.example.org',
            parameters: '${{ parameters }}',
            writeToWorkspace: true,
            layout: 'clusters/{cluster}/{namespace}/{kind}-{name}.yaml',
          },
        },
      ],
    }),
  },
  {
    description:
      'Render with labels of your own; keys of Crossplane, Kubernetes, PlatformOps, Argo CD or Flux are refused, and the owner must be in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'crossplane:render',
          name: 'Render the claim',
          input: {
            cluster: '${{ parameters.cluster }}',
            xrd: 'xpostgresqlinstances.database.example.org',
            name: '${{ parameters.name }}',
            namespace: '${{ parameters.namespace }}',
            owner: '${{ parameters.owner }}',
            labels: {
              'app.kubernetes.io/part-of': 'checkout',
              'example.org/cost-center': 'cc-1234',
            },
            values: {
              parameters: { storageGB: '${{ parameters.storageGB }}' },
            },
          },
        },
      ],
    }),
  },
];
