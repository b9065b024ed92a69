import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogHoldings, CatalogReads } from './CatalogHoldings';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/managed-by-location': `crossplane:${name}` },
  },
});

describe('catalogHoldings', () => {
  const held = [component('a'), component('b')];
  const calls: unknown[] = [];
  /** The entities held from the location a request filters on. */
  const heldFrom = (filter: Record<string, string>) =>
    held.filter(
      e =>
        e.metadata.annotations!['backstage.io/managed-by-location'] ===
        Object.values(filter)[0],
    );
  const catalog: CatalogReads = {
    async getEntities(request, options) {
      calls.push(options.credentials);
      return { items: heldFrom(request.filter) };
    },
    async queryEntities(request, options) {
      calls.push(options.credentials);
      return { totalItems: heldFrom(request.filter).length };
    },
    async getEntitiesByRefs(request, options) {
      calls.push(options.credentials);
      return {
        items: request.entityRefs.map(ref =>
          held.find(e => `component:default/${e.metadata.name}` === ref),
        ),
      };
    },
  };
  const holdings = catalogHoldings(catalog, mockServices.auth());

  it('reads the refs and the count of one location', async () => {
    expect(await holdings.refsFrom('crossplane:a')).toEqual([
      'component:default/a',
    ]);
    expect(await holdings.countFrom('crossplane:b')).toBe(1);
    expect(await holdings.countFrom('crossplane:c')).toBe(0);
  });

  it('tells whether any of some refs is held', async () => {
    expect(
      await holdings.holdsAny(['component:default/x', 'component:default/b']),
    ).toBe(true);
    expect(await holdings.holdsAny(['component:default/x'])).toBe(false);
  });

  it('reads with the module’s own credentials, never a caller’s', async () => {
    calls.length = 0;
    await holdings.refsFrom('crossplane:a');
    await holdings.countFrom('crossplane:a');
    await holdings.holdsAny(['component:default/a']);
    expect(calls).toHaveLength(3);
    for (const credentials of calls) {
      expect(credentials).toMatchObject({
        principal: { type: 'service' },
      });
    }
  });
});
