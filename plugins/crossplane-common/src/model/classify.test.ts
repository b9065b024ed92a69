import { classifyObject, indexXrdKinds, parseComposition, parseXrd } from '.';
import { isCrossplaneObject } from './classify';
import {
  appTree,
  nopObjects,
  packageObjects,
  postgresTree,
} from '../__fixtures__/objects';
import { allXrds } from '../__fixtures__/xrds';
import { KubernetesObject } from './types';

const xrds = Object.values(allXrds).map(parseXrd);

function find(objects: KubernetesObject[], kind: string, name?: string) {
  const found = objects.find(
    o => o.kind === kind && (!name || o.metadata.name === name),
  );
  if (!found) throw new Error(`no ${kind}`);
  return found;
}

describe('classifyObject', () => {
  it('classifies a v1 tree with and without XRDs', () => {
    const expected: Record<string, string> = {
      PostgreSQLInstance: 'claim',
      XPostgreSQLInstance: 'composite',
      Instance: 'managed',
      SubnetGroup: 'managed',
      XNetwork: 'composite',
      VPC: 'managed',
      Subnet: 'managed',
      Object: 'managed',
      Secret: 'secret',
    };
    for (const obj of postgresTree) {
      expect([obj.kind, classifyObject(obj, xrds)]).toEqual([
        obj.kind,
        expected[obj.kind],
      ]);
      expect([obj.kind, classifyObject(obj)]).toEqual([
        obj.kind,
        expected[obj.kind],
      ]);
    }
  });

  it('classifies a v2 tree', () => {
    const index = indexXrdKinds(xrds);
    expect(classifyObject(find(appTree, 'App'), index)).toBe('composite');
    expect(classifyObject(find(appTree, 'App'))).toBe('composite');
    expect(classifyObject(find(appTree, 'Deployment'), index)).toBe('workload');
    expect(classifyObject(find(appTree, 'Service'), index)).toBe('other');
    expect(classifyObject(find(appTree, 'Bucket'), index)).toBe('managed');
  });

  it('classifies packages, compositions, XRDs and managed resources', () => {
    expect(classifyObject(find(packageObjects, 'Provider'))).toBe('provider');
    expect(classifyObject(find(packageObjects, 'Function'))).toBe('function');
    expect(classifyObject(find(packageObjects, 'Configuration'))).toBe(
      'configuration',
    );
    expect(classifyObject(find(packageObjects, 'Composition'))).toBe(
      'composition',
    );
    expect(classifyObject(allXrds.postgres as KubernetesObject)).toBe('xrd');
    for (const nop of nopObjects) expect(classifyObject(nop)).toBe('managed');
  });

  it('never throws on odd input', () => {
    for (const odd of [
      null,
      1,
      'x',
      {},
      { kind: 3 },
      { kind: 'X', spec: [] },
    ]) {
      expect(classifyObject(odd as any)).toBe('other');
    }
  });
});

describe('parseComposition', () => {
  it('reads Pipeline and Resources modes', () => {
    const [pipeline, resources] = packageObjects.filter(
      o => o.kind === 'Composition',
    );
    const p = parseComposition(pipeline);
    expect(p.mode).toBe('Pipeline');
    expect(p.compositeTypeRef.kind).toBe('XPostgreSQLInstance');
    expect(p.pipeline?.map(s => s.functionRef)).toEqual([
      'function-patch-and-transform',
      'function-auto-ready',
    ]);
    const r = parseComposition(resources);
    expect(r.mode).toBe('Resources');
    expect(r.resources?.[0]).toMatchObject({ name: 'vpc', kind: 'VPC' });
  });

  it('rejects a Pipeline without steps', () => {
    expect(() =>
      parseComposition({
        apiVersion: 'apiextensions.crossplane.io/v1',
        kind: 'Composition',
        metadata: { name: 'c' },
        spec: {
          mode: 'Pipeline',
          compositeTypeRef: { apiVersion: 'a.b/v1', kind: 'X' },
        },
      }),
    ).toThrow(/spec.pipeline/);
  });
});

describe('isCrossplaneObject', () => {
  const thing = (apiVersion: string, spec: object) => ({
    apiVersion,
    kind: 'Thing',
    metadata: { name: 't', namespace: 'team-a' },
    spec,
  });

  it("tells Crossplane's objects by shape or group, and nothing else", () => {
    expect(
      isCrossplaneObject(thing('example.org/v1', { forProvider: {} })),
    ).toBe(true);
    expect(
      isCrossplaneObject(thing('example.org/v1', { crossplane: {} })),
    ).toBe(true);
    expect(isCrossplaneObject(thing('nop.m.crossplane.io/v1', {}))).toBe(true);
    expect(isCrossplaneObject(thing('example.org/v1', { replicas: 1 }))).toBe(
      false,
    );
    expect(
      isCrossplaneObject({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's' },
      }),
    ).toBe(false);
  });
});
