import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Apply the manifest rendered by crossplane:render to a cluster',
    example: yaml.stringify({
      steps: [
        {
          id: 'apply',
          action: 'crossplane:apply',
          name: 'Create the database claim',
          input: {
            cluster: '${{ parameters.cluster }}',
            manifest: '${{ steps.render.output.manifest }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Take over fields that another field manager owns',
    example: yaml.stringify({
      steps: [
        {
          id: 'apply',
          action: 'crossplane:apply',
          name: 'Update the claim, taking ownership of conflicting fields',
          input: {
            cluster: 'production',
            manifest: '${{ steps.render.output.manifest }}',
            force: true,
          },
        },
      ],
    }),
  },
];
