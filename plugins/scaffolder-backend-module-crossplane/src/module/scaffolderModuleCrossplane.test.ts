import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { scaffolderModuleCrossplane } from './scaffolderModuleCrossplane';

describe('scaffolderModuleCrossplane', () => {
  it('registers the crossplane actions with the real scaffolder', async () => {
    const { server } = await startTestBackend({
      features: [scaffolderPlugin, scaffolderModuleCrossplane],
    });
    const res = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const ids = res.body.map((a: { id: string }) => a.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'crossplane:apply',
        'crossplane:edit',
        'crossplane:upgrade',
      ]),
    );
    const apply = res.body.find(
      (a: { id: string }) => a.id === 'crossplane:apply',
    );
    // Required inputs are checked by the action itself (no stack trace in
    // the task log), and marked for the template editor.
    expect(apply.schema.input.required).toBeUndefined();
    expect(apply.schema.input.properties.cluster.description).toMatch(
      /^Required\. /,
    );
    expect(apply.schema.input.properties.force.description).not.toMatch(
      /^Required/,
    );
    expect(apply.examples.length).toBeGreaterThan(0);
  });
});
