import { CrossplaneModelError } from '../model/errors';
import { parseXrd } from '../model/xrd';
import { renderManifest } from '../render/renderManifest';
import { allXrds } from '../__fixtures__/xrds';
import {
  checkManifestControlFields,
  MAX_ANNOTATIONS_BYTES,
} from './manifestControlFields';
import { createNamespacePolicy } from './namespaces';

const postgres = parseXrd(allXrds.postgres);
const { manifest: rendered } = renderManifest({
  xrd: postgres,
  name: 'db',
  namespace: 'team-a',
  values: { parameters: { storageGB: 20, region: 'eu-west-1' } },
  owner: 'group:default/team-a',
  templateEntityRef: 'template:default/postgresql',
  compositionRef: 'pg-aws',
  compositionSelector: { provider: 'aws' },
  writeConnectionSecretToRef: { name: 'db-conn' },
});

/** The rendered claim with a change: `patch` edits a copy. */
function changed(patch: (m: any) => void): unknown {
  const copy = JSON.parse(JSON.stringify(rendered));
  patch(copy);
  return copy;
}

function fieldOf(manifest: unknown, options = {}): string | undefined {
  try {
    checkManifestControlFields(manifest, options);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(CrossplaneModelError);
    return (e as CrossplaneModelError).field;
  }
}

describe('checkManifestControlFields', () => {
  it('takes what render produces, labels and annotations PlatformOps sets included', () => {
    expect(fieldOf(rendered)).toBeUndefined();
    expect(fieldOf(rendered, { xrd: postgres, target: 'claim' })).toBe(
      undefined,
    );
    expect(rendered.metadata.labels).toHaveProperty(['platformops.io/owner']);
  });

  it.each([
    'finalizers',
    'ownerReferences',
    'managedFields',
    'uid',
    'resourceVersion',
    'generateName',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
  ])('refuses metadata.%s', key => {
    const manifest = changed(m => {
      m.metadata[key] = key === 'finalizers' ? ['x'] : 'x';
    });
    expect(fieldOf(manifest)).toBe(`metadata.${key}`);
    expect(() => checkManifestControlFields(manifest)).toThrow(
      `metadata.${key}: is managed by Kubernetes and its controllers and cannot be set from template input`,
    );
  });

  it('refuses status and other top-level fields', () => {
    expect(fieldOf(changed(m => (m.status = {})))).toBe('status');
  });

  it.each([
    [
      'an owner annotation that is no entity ref',
      (m: any) => {
        m.metadata.annotations['platformops.io/owner'] = ':';
      },
      'metadata.annotations["platformops.io/owner"]',
    ],
    [
      'an owner label of another owner',
      (m: any) => {
        m.metadata.labels['platformops.io/owner'] = 'group.default.team-b';
      },
      'metadata.labels["platformops.io/owner"]',
    ],
    [
      'an owner label without the annotation',
      (m: any) => {
        delete m.metadata.annotations['platformops.io/owner'];
      },
      'metadata.labels["platformops.io/owner"]',
    ],
    [
      'another managed-by',
      (m: any) => {
        m.metadata.labels['app.kubernetes.io/managed-by'] = 'helm';
      },
      'metadata.labels["app.kubernetes.io/managed-by"]',
    ],
    [
      'a template annotation of another kind',
      (m: any) => {
        m.metadata.annotations['platformops.io/template'] = 'group:default/a';
      },
      'metadata.annotations["platformops.io/template"]',
    ],
    [
      'another PlatformOps annotation',
      (m: any) => {
        m.metadata.annotations['platformops.io/ingest'] = 'false';
      },
      'metadata.annotations["platformops.io/ingest"]',
    ],
    [
      'external-name',
      (m: any) => {
        m.metadata.annotations['crossplane.io/external-name'] = 'theirs';
      },
      'metadata.annotations["crossplane.io/external-name"]',
    ],
    [
      'a denied namespace',
      (m: any) => {
        m.metadata.namespace = 'kube-system';
      },
      'metadata.namespace',
    ],
    [
      'spec.resourceRef',
      (m: any) => {
        m.spec.resourceRef = { name: 'theirs' };
      },
      'spec.resourceRef',
    ],
    [
      'spec.compositionRevisionRef',
      (m: any) => {
        m.spec.compositionRevisionRef = { name: 'r' };
      },
      'spec.compositionRevisionRef',
    ],
    [
      'spec.compositionUpdatePolicy',
      (m: any) => {
        m.spec.compositionUpdatePolicy = 'Manual';
      },
      'spec.compositionUpdatePolicy',
    ],
    [
      'a compositionRef with more than a name',
      (m: any) => {
        m.spec.compositionRef.namespace = 'x';
      },
      'spec.compositionRef.namespace',
    ],
    [
      'a selector with expressions',
      (m: any) => {
        m.spec.compositionSelector.matchExpressions = [];
      },
      'spec.compositionSelector.matchExpressions',
    ],
    [
      'a connection Secret in a denied namespace',
      (m: any) => {
        m.spec.writeConnectionSecretToRef.namespace = 'crossplane-system';
      },
      'spec.writeConnectionSecretToRef.namespace',
    ],
    [
      'spec.crossplane with a revision',
      (m: any) => {
        m.spec.crossplane = { compositionRevisionRef: { name: 'r' } };
      },
      'spec.crossplane.compositionRevisionRef',
    ],
  ])('refuses %s, naming the field', (_, patch, field) => {
    expect(fieldOf(changed(patch))).toBe(field);
  });

  it('bounds the annotations by the API server limit', () => {
    const manifest = changed(m => {
      m.metadata.annotations['example.org/big'] = 'x'.repeat(
        MAX_ANNOTATIONS_BYTES,
      );
    });
    expect(fieldOf(manifest)).toBe('metadata.annotations');
  });

  it('follows the given namespace policy', () => {
    const namespacePolicy = createNamespacePolicy({ allow: ['team-b'] });
    expect(fieldOf(rendered, { namespacePolicy })).toBe('metadata.namespace');
  });

  it("tells a v2 composite's own fields from Crossplane's when given the XRD", () => {
    const app = parseXrd(allXrds.app);
    const manifest = {
      apiVersion: 'platform.example.org/v1',
      kind: 'App',
      metadata: { name: 'a', namespace: 'team-a' },
      spec: {
        environmentConfigRefs: [{ name: 'prod' }],
        crossplane: { compositionRef: { name: 'app-kcl' } },
      },
    };
    expect(fieldOf(manifest, { xrd: app, target: 'composite' })).toBe(
      undefined,
    );
    expect(fieldOf(manifest)).toBe('spec.environmentConfigRefs');
  });
});
