import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'After apply and wait: hold the task until the catalog has ingested the new claim, so that the link to it works',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'crossplane:await-entity',
          name: 'Register in the catalog',
          input: {
            entityRef: '${{ steps.render.output.entityRef }}',
            timeoutSeconds: 120,
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Open in the catalog',
            icon: 'catalog',
            entityRef: '${{ steps.register.output.entityRef }}',
          },
        ],
      },
    }),
  },
];
