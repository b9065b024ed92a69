import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Wait until the claim applied by crossplane:apply is Ready and Synced',
    example: yaml.stringify({
      steps: [
        {
          id: 'wait',
          action: 'crossplane:wait',
          name: 'Wait for the database',
          input: {
            cluster: '${{ parameters.cluster }}',
            apiVersion: '${{ steps.apply.output.apiVersion }}',
            kind: '${{ steps.apply.output.kind }}',
            name: '${{ steps.apply.output.name }}',
            namespace: '${{ steps.apply.output.namespace }}',
            timeoutSeconds: 900,
          },
        },
      ],
    }),
  },
  {
    description: 'Wait for a custom condition only',
    example: yaml.stringify({
      steps: [
        {
          id: 'wait',
          action: 'crossplane:wait',
          input: {
            cluster: 'production',
            apiVersion: 'storage.example.org/v1alpha1',
            kind: 'Bucket',
            name: 'assets',
            namespace: 'team-web',
            conditions: ['Synced'],
          },
        },
      ],
    }),
  },
];
