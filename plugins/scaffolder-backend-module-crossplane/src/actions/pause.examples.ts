import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Pause a claim, e.g. before maintenance of what it manages',
    example: yaml.stringify({
      steps: [
        {
          id: 'pause',
          action: 'crossplane:pause',
          name: 'Pause the database',
          input: {
            cluster: 'production',
            apiVersion: 'database.example.org/v1alpha1',
            kind: 'PostgreSQLInstance',
            name: '${{ parameters.name }}',
            namespace: '${{ parameters.namespace }}',
          },
        },
      ],
    }),
  },
];
