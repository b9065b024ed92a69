import { redactObject } from './redactObject';
import { restoreRedacted } from './restoreRedacted';

describe('restoreRedacted', () => {
  const live = {
    apiVersion: 'x/v1',
    kind: 'App',
    metadata: { name: 'a' },
    spec: {
      image: 'nginx',
      password: 'hunter2',
      env: [{ name: 'API_TOKEN', value: 's3cr3t' }],
    },
  };
  const shown = redactObject(live).spec!;

  it('keeps the live value of what came back as it was shown', () => {
    expect(shown.password).toBe('<redacted>');
    expect(
      restoreRedacted({ ...shown, image: 'httpd' }, live.spec, shown),
    ).toEqual({
      ...live.spec,
      image: 'httpd',
    });
  });

  it('takes what the user changed as written', () => {
    expect(
      restoreRedacted({ ...shown, password: 'new' }, live.spec, shown),
    ).toMatchObject({ password: 'new' });
    expect(restoreRedacted({ image: '<redacted>' }, live.spec, shown)).toEqual({
      image: '<redacted>',
    });
  });
});
