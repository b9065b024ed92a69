import {
  CrossplaneModelError,
  createNamespacePolicy,
  parseXrd,
  renderManifest,
  RenderManifestInput,
  templateFormDataToRenderInput,
  validateManifest,
} from '..';
import { allXrds } from '../__fixtures__/xrds';

const xrd = (key: string) => parseXrd(allXrds[key]);

const claim: RenderManifestInput = {
  xrd: xrd('postgres'),
  name: 'db',
  namespace: 'team-a',
  values: { parameters: { storageGB: 20, region: 'eu-west-1' } },
  owner: 'group:default/team-a',
};

/** The error a render throws: its field and message. */
function refusal(patch: Partial<RenderManifestInput>) {
  try {
    renderManifest({ ...claim, ...patch });
  } catch (e) {
    expect(e).toBeInstanceOf(CrossplaneModelError);
    return {
      field: (e as CrossplaneModelError).field,
      message: (e as Error).message,
    };
  }
  throw new Error('rendered');
}

describe('renderManifest refuses control fields in its input', () => {
  it.each([
    ['crossplane.io/external-name', 'is set by Crossplane'],
    ['crossplane.io/paused', 'is set by Crossplane'],
    ['crossplane.io/claim-name', 'is set by Crossplane'],
    ['pkg.crossplane.io/revision', 'is set by Crossplane'],
    ['kubernetes.io/description', 'is reserved for Kubernetes'],
    [
      'kubectl.kubernetes.io/last-applied-configuration',
      'is reserved for Kubernetes',
    ],
    ['k8s.io/x', 'is reserved for Kubernetes'],
    ['node.k8s.io/x', 'is reserved for Kubernetes'],
    ['platformops.io/owner', 'is set by PlatformOps from `owner`'],
    ['platformops.io/template', 'is set by PlatformOps from the template run'],
    ['platformops.io/ingest', 'is set by PlatformOps'],
    ['argocd.argoproj.io/tracking-id', 'is set by Argo CD'],
    ['kustomize.toolkit.fluxcd.io/name', 'is set by Flux'],
    ['example.org/external-name', 'would make a controller adopt'],
    ['example.org/External_Name', 'would make a controller adopt'],
  ])('an annotation %s (%s)', (key, reason) => {
    const { field, message } = refusal({ annotations: { [key]: 'x' } });
    expect(field).toBe(`metadata.annotations[${JSON.stringify(key)}]`);
    expect(message).toContain(`${field}: ${reason}`);
    expect(message).toMatch(/cannot be set from template input$/);
  });

  it('names the exact annotation and the reason', () => {
    expect(
      refusal({ annotations: { 'crossplane.io/external-name': 'theirs' } })
        .message,
    ).toBe(
      'metadata.annotations["crossplane.io/external-name"]: is set by Crossplane and cannot be set from template input',
    );
  });

  it.each([
    ['crossplane.io/paused'],
    ['platformops.io/owner'],
    ['app.kubernetes.io/managed-by'],
    ['argocd.argoproj.io/instance'],
  ])('a label %s', key => {
    expect(refusal({ labels: { [key]: 'x' } }).field).toBe(
      `metadata.labels[${JSON.stringify(key)}]`,
    );
  });

  it("takes Kubernetes' recommended labels and other keys", () => {
    const { manifest } = renderManifest({
      ...claim,
      labels: { 'app.kubernetes.io/part-of': 'shop', team: 'a' },
      annotations: { 'example.org/note': 'free text\nover lines' },
    });
    expect(manifest.metadata.labels).toMatchObject({
      'app.kubernetes.io/part-of': 'shop',
      team: 'a',
    });
  });

  it('refuses label values that are not label values', () => {
    expect(refusal({ labels: { team: 'a b' } })).toMatchObject({
      field: 'metadata.labels.team',
    });
    expect(refusal({ labels: { team: 'x'.repeat(64) } }).message).toContain(
      'must be no more than 63 characters',
    );
  });

  it('refuses annotations larger than the API server takes', () => {
    const { field, message } = refusal({
      annotations: {
        'example.org/a': 'x'.repeat(200_000),
        b: 'y'.repeat(70_000),
      },
    });
    expect(field).toBe('metadata.annotations');
    expect(message).toContain('must be at most 262144 bytes');
  });

  it.each([
    ['resourceRef', 'is set by Crossplane'],
    ['compositionRevisionRef', 'is set by Crossplane'],
    ['compositeDeletePolicy', "controls Crossplane's machinery"],
    ['compositionUpdatePolicy', "controls Crossplane's machinery"],
    ['publishConnectionDetailsTo', "controls Crossplane's machinery"],
    ['compositionRef', 'use the compositionRef input'],
    ['compositionSelector', 'use the compositionSelector input'],
    [
      'writeConnectionSecretToRef',
      'use the parameters.crossplane.writeConnectionSecretToRef input',
    ],
  ])('a spec value %s of a v1 claim (%s)', (key, reason) => {
    const { field, message } = refusal({
      values: { parameters: { storageGB: 20 }, [key]: { name: 'theirs' } },
    });
    expect(field).toBe(`spec.${key}`);
    expect(message).toContain(reason);
  });

  it('spec.crossplane of a v2 composite, and not its own fields', () => {
    expect(
      refusal({
        xrd: xrd('app'),
        values: { image: 'x', crossplane: { compositionRef: { name: 'a' } } },
      }).field,
    ).toBe('spec.crossplane');
    // A v2 composite's top-level fields are its own: the schema judges them.
    const { manifest } = renderManifest({
      ...claim,
      xrd: xrd('app'),
      values: { image: 'x', resourceRef: 'y' },
    });
    expect(validateManifest(manifest, xrd('app')).map(String)).toEqual([
      'spec.resourceRef: unknown field',
    ]);
  });

  it('machinery spec values that come through form data', () => {
    const input = templateFormDataToRenderInput(xrd('postgres'), {
      name: 'db',
      namespace: 'team-a',
      owner: 'group:default/team-a',
      parameters: { storageGB: 20, region: 'eu-west-1' },
      resourceRef: { apiVersion: 'x/v1', kind: 'X', name: 'theirs' },
    });
    expect(() => renderManifest(input)).toThrow(
      'spec.resourceRef: is set by Crossplane',
    );
    const yaml = templateFormDataToRenderInput(xrd('postgres'), {
      name: 'db',
      namespace: 'team-a',
      spec_yaml: 'compositeDeletePolicy: Foreground\n',
    });
    expect(() => renderManifest(yaml)).toThrow(
      "spec.compositeDeletePolicy: controls Crossplane's machinery",
    );
  });

  it('takes the machinery a form offers, in the offered shape', () => {
    const { manifest } = renderManifest({
      ...claim,
      compositionRef: 'pg-aws',
      compositionSelector: { provider: 'aws' },
      writeConnectionSecretToRef: { name: 'db-conn', namespace: 'ignored' },
    });
    expect(manifest.spec).toMatchObject({
      compositionRef: { name: 'pg-aws' },
      compositionSelector: { matchLabels: { provider: 'aws' } },
      writeConnectionSecretToRef: { name: 'db-conn' },
    });
  });

  it('selects compositions by any label, reserved domains included', () => {
    const { manifest } = renderManifest({
      ...claim,
      compositionSelector: { 'platformops.io/tier': 'gold' },
    });
    expect(manifest.spec?.compositionSelector).toEqual({
      matchLabels: { 'platformops.io/tier': 'gold' },
    });
  });

  it('refuses a composition other than the one the XRD enforces', () => {
    const enforcing = {
      ...xrd('postgres'),
      enforcedCompositionRef: { name: 'pg-approved' },
    };
    expect(refusal({ xrd: enforcing, compositionRef: 'pg-mine' }).message).toBe(
      'compositionRef: must be "pg-approved": xpostgresqlinstances.database.example.org enforces it',
    );
    expect(
      refusal({ xrd: enforcing, compositionSelector: { a: 'b' } }).field,
    ).toBe('compositionSelector');
    expect(() =>
      renderManifest({
        ...claim,
        xrd: enforcing,
        compositionRef: 'pg-approved',
      }),
    ).not.toThrow();
  });

  it('refuses a connection Secret name that is not a name', () => {
    expect(
      refusal({ writeConnectionSecretToRef: { name: '../x' } }).field,
    ).toBe('writeConnectionSecretToRef.name');
  });
});

describe('renderManifest applies the namespace policy', () => {
  it.each(['kube-system', 'kube-public', 'crossplane-system', 'default'])(
    'refuses %s by default',
    namespace => {
      const { field, message } = refusal({ namespace });
      expect(field).toBe('namespace');
      expect(message).toContain(
        `namespace: "${namespace}" may not receive resources from the portal`,
      );
    },
  );

  it('names the rule', () => {
    expect(refusal({ namespace: 'kube-system' }).message).toBe(
      `namespace: "kube-system" may not receive resources from the portal: it matches "kube-*" of the namespace policy's deny list`,
    );
  });

  it('follows a configured policy', () => {
    const namespacePolicy = createNamespacePolicy({
      allow: ['team-*'],
      deny: ['team-secret'],
    });
    expect(() =>
      renderManifest({ ...claim, namespace: 'team-a', namespacePolicy }),
    ).not.toThrow();
    expect(
      refusal({ namespace: 'team-secret', namespacePolicy }).message,
    ).toContain('matches "team-secret" of the namespace policy\'s deny list');
    expect(refusal({ namespace: 'apps', namespacePolicy }).message).toContain(
      `matches nothing in the namespace policy's allow list ("team-*")`,
    );
  });

  it('applies it to the namespace of a connection Secret', () => {
    expect(
      refusal({
        target: 'composite',
        writeConnectionSecretToRef: { name: 'conn', namespace: 'kube-system' },
      }).field,
    ).toBe('writeConnectionSecretToRef.namespace');
  });

  it('leaves cluster-scoped targets alone', () => {
    expect(() =>
      renderManifest({
        xrd: xrd('tenant'),
        name: 'team-c',
        namespace: 'kube-system',
        values: { teamName: 'team-c' },
      }),
    ).not.toThrow();
  });
});

describe('renderManifest takes only an entity ref as owner', () => {
  it.each([
    ['not a ref !!', 'must be an entity reference like group:default/team-a'],
    ['group:default/a\nb', 'without control characters'],
    ['x'.repeat(100_000), 'at most 255 characters (got 100000)'],
    [':', 'must be an entity reference like group:default/team-a (got ":")'],
    ['team-a', 'must be an entity reference'],
    ['group:default/', 'must be an entity reference'],
    ['group:Default/team-a', 'must be an entity reference'],
    [
      'component:default/shop',
      'must be a user or group entity reference like group:default/team-a (got kind "component")',
    ],
  ])('refuses %j', (owner, message) => {
    const error = refusal({ owner });
    expect(error.field).toBe('owner');
    expect(error.message).toContain(message);
    expect(error.message.length).toBeLessThan(200);
  });

  it('refuses a template ref that is not one', () => {
    expect(refusal({ templateEntityRef: 'x y' }).field).toBe(
      'templateEntityRef',
    );
  });
});
