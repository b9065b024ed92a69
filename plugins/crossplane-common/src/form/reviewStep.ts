import { TemplateParameterStep } from './types';

/**
 * Name of the scaffolder field that shows the manifest a generated form
 * renders and the API server's dry run of creating it.
 *
 * @public
 */
export const MANIFEST_PREVIEW_FIELD = 'CrossplaneManifestPreview';

/**
 * Keys of the "Review" step. Like the other steps' own keys they are never
 * spec values; a spec field with one of these names appears in the form as
 * `spec_<name>`.
 *
 * @public
 */
export const REVIEW_FORM_KEYS = ['review'] as const;

/**
 * The last step of a generated form: the exact manifest the template will
 * create and the cluster's dry run of it, before "Create". It collects no
 * value and is left out of the scaffolder's own review.
 *
 * @public
 */
export function reviewFormStep(options: {
  /** The XRD's name, as the template's render step names it. */
  xrd: string;
}): TemplateParameterStep {
  return {
    title: 'Review',
    description:
      'The manifest this form creates, and what the cluster says of it.',
    properties: {
      [REVIEW_FORM_KEYS[0]]: {
        type: 'string',
        title: 'Manifest',
        'ui:field': MANIFEST_PREVIEW_FIELD,
        'ui:options': { xrd: options.xrd },
        'ui:backstage': { review: { show: false } },
      },
    },
  };
}
