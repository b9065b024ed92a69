import { CrossplaneObjectId } from '@platformops/plugin-crossplane-common';
import {
  countObjectDocuments,
  declaresObject,
  patchObjectDocument,
  patchObjectFile,
  parseObjectFile,
  removeObjectDocument,
  specChanges,
} from './manifestFile';

const id: CrossplaneObjectId = {
  cluster: 'itest',
  group: 'platform.example.org',
  version: 'v1alpha1',
  kind: 'Database',
  namespace: 'team-a',
  name: 'orders',
};

const FILE = `# Orders database, owned by team-a
apiVersion: platform.example.org/v1alpha1
kind: Database
metadata:
  name: orders
  namespace: team-a
  labels:
    app.kubernetes.io/managed-by: platformops
  annotations:
    platformops.io/source-cluster: itest
spec:
  parameters:
    size: small # grows with traffic
    engine: postgres
    tags: [a, b]
  compositionSelector:
    matchLabels:
      provider: nop
`;

describe('specChanges', () => {
  it('lists what differs, maps key by key, lists as a whole', () => {
    expect(
      specChanges(
        { parameters: { size: 'small', engine: 'postgres', tags: ['a'] } },
        { parameters: { size: 'large', engine: 'postgres', tags: ['a', 'b'] } },
      ),
    ).toEqual([
      { path: ['parameters', 'size'], value: 'large' },
      { path: ['parameters', 'tags'], value: ['a', 'b'] },
    ]);
    expect(specChanges({ a: 1, b: 2 }, { a: 1, c: { d: 3 } })).toEqual([
      { path: ['b'], remove: true },
      { path: ['c'], value: { d: 3 } },
    ]);
    expect(specChanges({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
  });
});

describe('patchObjectFile', () => {
  it('changes the edited field only, keeping comments and the rest', () => {
    const patched = patchObjectFile(FILE, id, 'orders.yaml', [
      { path: ['parameters', 'size'], value: 'large' },
    ]);
    expect(patched).toBe(FILE.replace('size: small', 'size: large'));
  });

  it('adds and removes fields', () => {
    const patched = patchObjectFile(FILE, id, 'orders.yaml', [
      { path: ['parameters', 'engine'], remove: true },
      { path: ['parameters', 'backup'], value: { days: 7 } },
    ]);
    expect(patched).not.toContain('engine');
    expect(patched).toContain('    backup:\n      days: 7\n');
    expect(patched).toContain('size: small # grows with traffic');
  });

  it('refuses a file about another object', () => {
    for (const other of [
      FILE.replace('name: orders', 'name: payments'),
      FILE.replace('namespace: team-a', 'namespace: team-b'),
      FILE.replace('kind: Database', 'kind: Secret'),
      FILE.replace('platform.example.org/', 'other.example.org/'),
      // The same object of another cluster whose files share the repository.
      FILE.replace('source-cluster: itest', 'source-cluster: prod'),
      FILE.replace('    platformops.io/source-cluster: itest\n', ''),
    ]) {
      expect(() => parseObjectFile(other, id, 'orders.yaml')).toThrow(
        'orders.yaml in its repository does not hold Database.platform.example.org team-a/orders in cluster itest',
      );
    }
  });

  it('refuses a file of several documents or none, telling it apart from no other', () => {
    const refusal =
      'orders.yaml in its repository does not hold Database.platform.example.org team-a/orders in cluster itest: no pull request is opened';
    for (const text of [
      `${FILE}---\nkind: Secret\n`,
      '',
      '- a\n- b\n',
      ': :',
    ]) {
      expect(() => parseObjectFile(text, id, 'orders.yaml')).toThrow(refusal);
    }
  });

  it("refuses a file without namespace: it could be another namespace's object of that name", () => {
    expect(() =>
      parseObjectFile(FILE.replace('  namespace: team-a\n', ''), id, 'o.yaml'),
    ).toThrow(/does not hold/);
  });
});

describe('documents of a multi-document file', () => {
  const FILE_MANIFEST = {
    apiVersion: 'platform.example.org/v1alpha1',
    kind: 'Database',
  };
  const doc = (
    name: string,
    namespace?: string,
  ) => `apiVersion: platform.example.org/v1alpha1
kind: Database
metadata:
  name: ${name}${namespace ? `\n  namespace: ${namespace}` : ''}
spec:
  parameters:
    size: small # keep
`;
  const TEXT = `# team-a\n${doc('orders')}---\n# payments\n${doc(
    'payments',
    'team-a',
  )}...\n---\n${doc('invoices')}`;

  it("applies the tool's namespace rule to a document that names none, or to all", () => {
    const manifest = { ...FILE_MANIFEST, metadata: { name: 'orders' } };
    expect(declaresObject(manifest, id)).toBe(false);
    expect(declaresObject(manifest, id, { default: 'team-a' })).toBe(true);
    expect(declaresObject(manifest, id, { default: 'team-b' })).toBe(false);
    const elsewhere = {
      ...FILE_MANIFEST,
      metadata: { name: 'orders', namespace: 'team-b' },
    };
    expect(declaresObject(elsewhere, id, { default: 'team-a' })).toBe(false);
    expect(declaresObject(elsewhere, id, { override: 'team-a' })).toBe(true);
    expect(countObjectDocuments(TEXT, id, { default: 'team-a' })).toBe(1);
    expect(countObjectDocuments(TEXT, id, {})).toBe(0);
  });

  it('changes only the document of the object, keeping every other byte', () => {
    const patched = patchObjectDocument(TEXT, { ...id, name: 'payments' }, {}, [
      { path: ['parameters', 'size'], value: 'large' },
    ]);
    expect(patched).toBe(
      TEXT.replace(
        `${doc('payments', 'team-a')}`,
        doc('payments', 'team-a').replace('small', 'large'),
      ),
    );
  });

  it('removes only its document, or says the file goes with its only one', () => {
    const rule = { default: 'team-a' };
    expect(removeObjectDocument(TEXT, id, rule)).toBe(
      `# team-a\n---\n# payments\n${doc('payments', 'team-a')}...\n---\n${doc(
        'invoices',
      )}`,
    );
    expect(removeObjectDocument(TEXT, { ...id, name: 'invoices' }, rule)).toBe(
      `# team-a\n${doc('orders')}---\n# payments\n${doc(
        'payments',
        'team-a',
      )}...\n`,
    );
    expect(removeObjectDocument(doc('orders'), id, rule)).toBeUndefined();
    expect(() =>
      removeObjectDocument(`${doc('orders')}---\n${doc('orders')}`, id, rule),
    ).toThrow('the file holds 2 documents declaring');
  });
});
