import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Delete a claim and wait until it and its composed resources are gone',
    example: yaml.stringify({
      steps: [
        {
          id: 'delete',
          action: 'crossplane:delete',
          name: 'Delete the database',
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
