import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Resume a paused claim',
    example: yaml.stringify({
      steps: [
        {
          id: 'resume',
          action: 'crossplane:resume',
          name: 'Resume the database',
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
