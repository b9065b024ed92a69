import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Move two claims to their Composition's newest revision, the second only if the first stays healthy",
    example: yaml.stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'crossplane:upgrade',
          name: 'Upgrade the databases',
          input: {
            objects: [
              {
                cluster: 'staging',
                apiVersion: 'database.example.org/v1alpha1',
                kind: 'PostgreSQLInstance',
                namespace: 'team-alpha',
                name: 'orders-db',
              },
              {
                cluster: 'production',
                apiVersion: 'database.example.org/v1alpha1',
                kind: 'PostgreSQLInstance',
                namespace: 'team-alpha',
                name: 'orders-db',
              },
            ],
            waitSeconds: 120,
          },
        },
      ],
    }),
  },
];
