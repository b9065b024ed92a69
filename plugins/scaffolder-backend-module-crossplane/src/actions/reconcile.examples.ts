import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Reconcile a claim now and wait up to 30 seconds for the outcome',
    example: yaml.stringify({
      steps: [
        {
          id: 'reconcile',
          action: 'crossplane:reconcile',
          name: 'Reconcile the database',
          input: {
            cluster: 'production',
            apiVersion: 'database.example.org/v1alpha1',
            kind: 'PostgreSQLInstance',
            name: '${{ parameters.name }}',
            namespace: '${{ parameters.namespace }}',
            waitSeconds: 30,
          },
        },
      ],
    }),
  },
];
