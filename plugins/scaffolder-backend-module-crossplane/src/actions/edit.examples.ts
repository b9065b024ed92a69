import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Preview a change of a claim: the diff and the cluster dry run in the task log, nothing written',
    example: yaml.stringify({
      steps: [
        {
          id: 'preview',
          action: 'crossplane:edit',
          name: 'Preview the new storage size',
          input: {
            cluster: 'production',
            apiVersion: 'database.example.org/v1alpha1',
            kind: 'PostgreSQLInstance',
            name: '${{ parameters.name }}',
            namespace: '${{ parameters.namespace }}',
            values: {
              parameters: { storage: { sizeGB: '${{ parameters.sizeGB }}' } },
            },
            dryRun: true,
          },
        },
      ],
    }),
  },
  {
    description: 'Edit a claim, taking over a field another field manager set',
    example: yaml.stringify({
      steps: [
        {
          id: 'edit',
          action: 'crossplane:edit',
          name: 'Resize the database',
          input: {
            cluster: 'production',
            apiVersion: 'database.example.org/v1alpha1',
            kind: 'PostgreSQLInstance',
            name: '${{ parameters.name }}',
            namespace: '${{ parameters.namespace }}',
            values: {
              parameters: { storage: { sizeGB: '${{ parameters.sizeGB }}' } },
            },
            takeOver: ['spec.parameters.storage.sizeGB'],
          },
        },
      ],
    }),
  },
];
