/*
 * The real-shaped object families of every XRD fixture, through the public
 * API: each claim and composite validates against its XRD, classifies as
 * such, and assembles into the expected tree with the expected health.
 */
import {
  KubernetesObject,
  ObjectClass,
  buildResourceTrees,
  classifyObject,
  formatValidationIssues,
  parseXrd,
  redactObject,
  validateManifest,
} from './index';
import { examples } from './__fixtures__/examples';
import { appTree, postgresTree } from './__fixtures__/objects';
import { allXrds } from './__fixtures__/xrds';

const xrds = Object.fromEntries(
  Object.entries(allXrds).map(([k, v]) => [k, parseXrd(v)]),
);
const families: Record<string, KubernetesObject[]> = {
  ...examples,
  postgres: postgresTree,
  app: appTree,
};

/** Root kind, rolled-up health, node count, the culprit's name. */
const expected: Record<string, [string, string, number, string?]> = {
  postgres: ['PostgreSQLInstance', 'Progressing', 9, 'orders-db-x7k2p-8jz4q'],
  network: ['Network', 'Healthy', 5],
  bucket: ['Bucket', 'Healthy', 4],
  cluster: ['XCluster', 'Degraded', 3, 'prod-eu-nodes'],
  app: ['App', 'Healthy', 4],
  tenant: ['XTenant', 'Healthy', 3],
  redis: ['RedisCluster', 'Progressing', 3, 'cart-cache-m2x9d-rg'],
  helm: ['HelmRelease', 'Healthy', 3],
  database: ['Database', 'Paused', 2, 'orders'],
  queue: ['Queue', 'Healthy', 4],
  webapp: ['WebApp', 'Degraded', 4, 'shop'],
  dns: ['DNSRecord', 'Deleting', 3, 'www'],
  functionApp: ['FunctionApp', 'Unknown', 3, 'thumbnailer-exec'],
};

describe('object families of every XRD fixture', () => {
  it('cover every XRD', () => {
    expect(Object.keys(families).sort()).toEqual(Object.keys(allXrds).sort());
  });

  it.each(Object.keys(expected))('%s', key => {
    const xrd = xrds[key];
    const objects = families[key];
    const kinds = [xrd.names.kind, xrd.claimNames?.kind];
    const own = objects.filter(
      o => o.apiVersion.startsWith(`${xrd.group}/`) && kinds.includes(o.kind),
    );
    expect(own.length).toBeGreaterThan(0);
    for (const obj of own) {
      const cls: ObjectClass =
        obj.kind === xrd.names.kind ? 'composite' : 'claim';
      expect(classifyObject(obj, [xrd])).toBe(cls);
      expect(formatValidationIssues(validateManifest(obj, xrd))).toBe('');
    }

    const [rootKind, health, nodes, culprit] = expected[key];
    const trees = buildResourceTrees(objects, [xrd]);
    expect(trees.map(t => t.ref.kind)).toEqual([rootKind]);
    const tree = trees[0];
    expect(tree.rolledUpHealth.status).toBe(health);
    let count = 0;
    const stack = [tree];
    while (stack.length) {
      count++;
      stack.push(...stack.pop()!.children);
    }
    expect(count).toBe(nodes);
    expect(tree.culpritPath?.[tree.culpritPath.length - 1].name).toBe(culprit);
  });

  it('explains the culprits', () => {
    const [cluster] = buildResourceTrees(examples.cluster);
    expect(cluster.rolledUpHealth).toMatchObject({
      reason: 'ReconcileError',
      message: expect.stringContaining('at least two different AZs'),
      since: '2025-06-01T09:10:00Z',
    });
    const [webapp] = buildResourceTrees(examples.webapp);
    expect(webapp.rolledUpHealth.reason).toBe('ProgressDeadlineExceeded');
    const [fn] = buildResourceTrees(examples.functionApp);
    expect(fn.children.map(c => [c.ref.kind, !!c.missing])).toEqual([
      ['Function', false],
      ['Role', true],
    ]);
    const [bucket] = buildResourceTrees(examples.bucket);
    expect(
      bucket.children.map(c => `${c.ref.apiVersion} ${c.ref.kind}`),
    ).toEqual(['storage.example.org/v1alpha1 XBucket', 'v1 Secret']);
  });

  it('redacts what they hold', () => {
    const release = examples.helm.find(o => o.kind === 'Release')!;
    const text = JSON.stringify(redactObject(release));
    expect(text).not.toContain('correct horse');
    expect(text).not.toContain('mail-pa55');
    expect(text).toContain('grafana-extra');
    const fn = JSON.stringify(
      redactObject(examples.functionApp.find(o => o.kind === 'Function')!),
    );
    expect(fn).not.toContain('tok-123');
    expect(fn).toContain('LOG_LEVEL');
    const secret = redactObject(
      examples.bucket.find(o => o.kind === 'Secret')!,
    );
    expect(secret.data).toBeUndefined();
  });
});
