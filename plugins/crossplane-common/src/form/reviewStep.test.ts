import { Validator } from 'jsonschema';
import { MANIFEST_PREVIEW_FIELD, reviewFormStep } from './reviewStep';

describe('reviewFormStep', () => {
  const step = reviewFormStep({ xrd: 'xbuckets.storage.example.org' });

  it('shows the manifest preview of the XRD named, and nothing in the scaffolder review', () => {
    expect(step.title).toBe('Review');
    expect(step.properties.review).toMatchObject({
      'ui:field': MANIFEST_PREVIEW_FIELD,
      'ui:options': { xrd: 'xbuckets.storage.example.org' },
      'ui:backstage': { review: { show: false } },
    });
  });

  it('asks for nothing: form data without it is valid', () => {
    expect(step.required).toBeUndefined();
    expect(new Validator().validate({ cluster: 'east' }, step).errors).toEqual(
      [],
    );
  });
});
