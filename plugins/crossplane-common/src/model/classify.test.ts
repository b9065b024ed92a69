import {
  appTree,
  nopObjects,
  packageObjects,
  postgresTree,
} from '../__fixtures__/objects';
import { allXrds } from '../__fixtures__/xrds';
import { classifyObject, indexXrdKinds } from './classify';
import { parseComposition, compositionMatches } from './composition';
import {
  getClaimRef,
  getCompositeRef,
  getCompositionName,
  getConditions,
  getResourceRefs,
  isPaused,
} from './crossplane';
import { parseXrd } from './xrd';

const xrds = Object.values(allXrds).map(parseXrd);

describe('classifyObject', () => {
  it('classifies the v1 tree with and without XRDs', () => {
    const expected = [
      'claim',
      'composite',
      'managed',
      'managed',
      'composite',
      'managed',
      'managed',
      'managed',
      'secret',
    ];
    expect(postgresTree.map(o => classifyObject(o, xrds))).toEqual(expected);
    expect(postgresTree.map(o => classifyObject(o))).toEqual(expected);
    expect(
      postgresTree.map(o => classifyObject(o, indexXrdKinds(xrds))),
    ).toEqual(expected);
  });

  it('classifies the v2 tree', () => {
    expect(appTree.map(o => classifyObject(o, xrds))).toEqual([
      'composite',
      'workload',
      'other',
      'managed',
    ]);
    expect(classifyObject(appTree[0])).toBe('composite');
  });

  it('classifies packages, compositions and XRDs', () => {
    expect(packageObjects.map(o => classifyObject(o))).toEqual([
      'provider',
      'function',
      'configuration',
      'composition',
      'composition',
    ]);
    expect(classifyObject(allXrds.app as any)).toBe('xrd');
    expect(nopObjects.map(o => classifyObject(o))).toEqual([
      'managed',
      'managed',
      'managed',
      'managed',
    ]);
  });

  it('classifies by kind when the XRDs are known, even without machinery fields', () => {
    const fresh = {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      metadata: { name: 'x', namespace: 'a' },
      spec: { parameters: {} },
    };
    expect(classifyObject(fresh, xrds)).toBe('claim');
    expect(classifyObject(fresh)).toBe('other');
    expect(
      classifyObject({
        apiVersion: 'x/v1',
        kind: 'Y',
        metadata: { name: 'a', namespace: 'n' },
        spec: { compositionRef: { name: 'c' } },
      }),
    ).toBe('claim');
    expect(classifyObject(null as any)).toBe('other');
  });
});

describe('accessors', () => {
  it('reads v1 and v2 machinery', () => {
    const [claim, xr] = postgresTree;
    expect(getCompositeRef(claim)).toEqual({
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      name: 'orders-db-x7k2p',
    });
    expect(getClaimRef(xr)).toMatchObject({
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
    });
    expect(getResourceRefs(xr)).toHaveLength(4);
    expect(getCompositionName(xr)).toBe(
      'xpostgresqlinstances.aws.database.example.org',
    );
    const app = appTree[0];
    expect(getCompositionName(app)).toBe('app-kcl');
    expect(getResourceRefs(app).map(r => r.namespace)).toEqual([
      'team-b',
      'team-b',
      'team-b',
    ]);
    expect(getConditions(app).map(c => c.type)).toEqual(['Synced', 'Ready']);
    expect(
      getConditions({
        apiVersion: 'v1',
        kind: 'X',
        metadata: { name: 'x' },
        status: { conditions: [null, { type: 'A', status: 'maybe' }] },
      }),
    ).toEqual([]);
    expect(isPaused(nopObjects[2])).toBe(true);
    expect(isPaused(nopObjects[0])).toBe(false);
  });
});

describe('parseComposition', () => {
  it('parses Pipeline and Resources modes', () => {
    const pipeline = parseComposition(packageObjects[3]);
    expect(pipeline.mode).toBe('Pipeline');
    expect(pipeline.pipeline).toEqual([
      {
        step: 'patch-and-transform',
        functionRef: 'function-patch-and-transform',
      },
      { step: 'auto-ready', functionRef: 'function-auto-ready' },
    ]);
    expect(compositionMatches(pipeline, postgresTree[1])).toBe(true);
    expect(compositionMatches(pipeline, postgresTree[0])).toBe(false);
    const resources = parseComposition(packageObjects[4]);
    expect(resources.mode).toBe('Resources');
    expect(resources.resources).toEqual([
      { name: 'vpc', apiVersion: 'ec2.aws.upbound.io/v1beta1', kind: 'VPC' },
    ]);
  });

  it('rejects a Pipeline without steps', () => {
    const raw = JSON.parse(JSON.stringify(packageObjects[3]));
    raw.spec.pipeline = [];
    expect(() => parseComposition(raw)).toThrow(/spec.pipeline/);
    expect(() => parseComposition({ kind: 'Composition' })).toThrow(/kind/);
  });
});
