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
    expect(ids).toContain('crossplane:apply');
    const apply = res.body.find(
      (a: { id: string }) => a.id === 'crossplane:apply',
    );
    expect(apply.schema.input.required).toEqual(['cluster', 'manifest']);
    expect(apply.examples.length).toBeGreaterThan(0);
  });
});
