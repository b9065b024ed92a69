import { CrossplaneModelError, parseXrd } from '..';
import { xrdToTemplateParameterVariants, xrdToTemplateParameters } from '.';
import { allXrds, objectStoreXrd } from '../__fixtures__/xrds';

const xrd = (key: string) => parseXrd(allXrds[key]);
const props = (key: string, options = {}) =>
  Object.assign(
    {},
    ...xrdToTemplateParameters(xrd(key), options).map(s => s.properties),
  ) as Record<string, any>;

describe('xrdToTemplateParameters', () => {
  it('starts with a Resource step; namespace only for namespaced targets', () => {
    const claim = xrdToTemplateParameters(xrd('postgres'))[0];
    expect(claim.title).toBe('Resource');
    expect(Object.keys(claim.properties)).toEqual([
      'name',
      'namespace',
      'owner',
    ]);
    expect(claim.required).toEqual(['name', 'namespace', 'owner']);
    const composite = xrdToTemplateParameters(xrd('postgres'), {
      target: 'composite',
    })[0];
    expect(Object.keys(composite.properties)).toEqual(['name', 'owner']);
    expect(
      Object.keys(xrdToTemplateParameters(xrd('app'))[0].properties),
    ).toContain('namespace');
    expect(
      Object.keys(xrdToTemplateParameters(xrd('tenant'))[0].properties),
    ).not.toContain('namespace');
    expect(
      xrdToTemplateParameters(xrd('app'), { defaultNamespace: 'team-b' })[0]
        .properties.namespace.default,
    ).toBe('team-b');
  });

  it('carries titles, descriptions, required, defaults, enums, bounds and patterns', () => {
    const steps = xrdToTemplateParameters(xrd('postgres'));
    expect(steps.map(s => s.title)).toEqual(['Resource', 'Parameters']);
    expect(steps[1].required).toEqual(['parameters']);
    const p = steps[1].properties.parameters as any;
    expect(p.type).toBe('object');
    expect(p.description).toBe('Database instance configuration.');
    expect(p.required).toEqual(['storageGB', 'region']);
    expect(p.properties.storageGB).toMatchObject({
      type: 'integer',
      title: 'Storage GB',
      minimum: 10,
      maximum: 1000,
      default: 20,
      description: 'Allocated storage in GiB.',
    });
    expect(p.properties.size).toMatchObject({
      enum: ['small', 'medium', 'large'],
      default: 'small',
    });
    expect(p.properties.region.pattern).toBe('^[a-z]{2}-[a-z]+-[0-9]$');
    expect(p.properties.highAvailability).toMatchObject({
      type: 'boolean',
      default: false,
    });
  });

  it('turns nested objects into sections and keeps arrays of objects', () => {
    const p = props('cluster').parameters;
    expect(p.properties.nodePool.title).toBe('Node pool');
    expect(
      p.properties.nodePool.properties.autoscaling.properties.enabled.default,
    ).toBe(false);
    expect(p.properties.nodePool.required).toEqual(['size']);
    const subnets = props('network').parameters.properties.subnets;
    expect(subnets).toMatchObject({ type: 'array', minItems: 1, maxItems: 6 });
    expect(subnets.items.type).toBe('object');
    expect(subnets.items.required).toEqual(['cidrBlock', 'zone']);
    expect(subnets.items.properties.type.default).toBe('private');
  });

  it('makes int-or-string a text field and preserve-unknown-fields a YAML field', () => {
    expect(props('app').port).toMatchObject({ type: 'string' });
    expect(props('tenant').quotas.additionalProperties).toEqual({
      type: 'string',
    });
    const config = props('redis').parameters.properties.config;
    expect(config).toMatchObject({ type: 'string', 'ui:widget': 'textarea' });
    expect(config.description).toMatch(/YAML/);
    expect(props('helm').values['ui:widget']).toBe('textarea');
    expect(props('functionApp').timeoutSeconds).toMatchObject({
      type: 'string',
      default: '30',
    });
  });

  it('keeps arrays of scalars with formats and sets', () => {
    expect(props('tenant').admins).toMatchObject({
      type: 'array',
      items: { type: 'string', format: 'email' },
      uniqueItems: true,
    });
    expect(props('webapp').domains.items.format).toBe('hostname');
    expect(props('webapp').ports.items).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 65535,
    });
  });

  it('converts oneOf/anyOf and exclusive bounds', () => {
    const source = props('database').source;
    expect(source.oneOf).toEqual([
      { required: ['snapshot'], title: 'With snapshot' },
      { required: ['pointInTime'], title: 'With point in time' },
    ]);
    expect(props('functionApp').source.anyOf).toHaveLength(2);
    expect(props('database').cpu).toMatchObject({
      exclusiveMinimum: 0,
      maximum: 64,
    });
    expect(props('bucket').parameters.properties.lifecycleDays).toMatchObject({
      minimum: 1,
      exclusiveMaximum: 3650,
    });
  });

  it('takes UI hints from x-ui-* keys and the XRD annotation', () => {
    const p = props('queue').parameters;
    expect(p['ui:order']).toEqual(['name', 'fifo', 'retentionSeconds', '*']);
    expect(p.properties.name['ui:help']).toBe(
      'The queue name as seen by applications.',
    );
    expect(p.properties.fifo['ui:widget']).toBe('radio');
    expect(p.properties.retentionSeconds['ui:help']).toBe(
      'How long unread messages are kept.',
    );
    expect(p.properties.visibility['ui:widget']).toBe('radio');
  });

  it('hides Crossplane fields unless asked', () => {
    const raw = JSON.parse(JSON.stringify(allXrds.postgres));
    raw.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.compositionRef =
      {
        type: 'object',
        properties: { name: { type: 'string' } },
      };
    const parsed = parseXrd(raw);
    const all = Object.assign(
      {},
      ...xrdToTemplateParameters(parsed).map(s => s.properties),
    );
    expect(all.compositionRef).toBeUndefined();
    const withCrossplane = xrdToTemplateParameters(parsed, {
      includeCrossplaneFields: true,
    });
    const last = withCrossplane[withCrossplane.length - 1];
    expect(last.title).toBe('Crossplane');
    expect(Object.keys((last.properties.crossplane as any).properties)).toEqual(
      ['compositionRef', 'compositionSelector', 'writeConnectionSecretToRef'],
    );
  });

  it("hides exactly Crossplane's own fields of each layout and keeps the author's, whatever their names", () => {
    const names = [
      'environment',
      'crossplane',
      'compositionRef',
      'compositionRevisionSelector',
      'claimRef',
      'resourceRef',
      'resourceRefs',
      'compositeDeletePolicy',
      'environmentConfigRefs',
      'publishConnectionDetailsTo',
      'writeConnectionSecretToRef',
    ];
    const withFields = (key: string, scope?: string) => {
      const raw = JSON.parse(JSON.stringify(allXrds[key]));
      if (scope) raw.spec.scope = scope;
      const version = raw.spec.versions.find((v: any) => v.referenceable);
      const spec = version.schema.openAPIV3Schema.properties.spec;
      for (const name of names) spec.properties[name] = { type: 'string' };
      return parseXrd(raw);
    };
    // `crossplane` is also a key of the Resource step: the form calls the spec field `spec_crossplane`.
    const shown = (x: ReturnType<typeof parseXrd>, target?: 'claim') => {
      const all = Object.assign(
        {},
        ...xrdToTemplateParameters(x, { target: target ?? 'composite' }).map(
          s => s.properties,
        ),
      );
      return names.filter(n => n in all || `spec_${n}` in all);
    };
    // Crossplane 1.x (v1 XRD): claim and composite, directly under spec.
    expect(shown(withFields('postgres'), 'claim')).toEqual([
      'environment',
      'crossplane',
      'claimRef',
      'resourceRefs',
      'environmentConfigRefs',
    ]);
    expect(shown(withFields('postgres'))).toEqual([
      'environment',
      'crossplane',
      'resourceRef',
      'compositeDeletePolicy',
    ]);
    // Crossplane 2.x Namespaced and Cluster: only spec.crossplane is Crossplane's.
    const modern = names.filter(n => n !== 'crossplane');
    expect(shown(withFields('app'))).toEqual(modern);
    expect(shown(withFields('tenant'))).toEqual(modern);
    // Crossplane 2.x LegacyCluster: v1 layout without publishConnectionDetailsTo and environmentConfigRefs.
    expect(shown(withFields('tenant', 'LegacyCluster'))).toEqual([
      'environment',
      'crossplane',
      'resourceRef',
      'compositeDeletePolicy',
      'environmentConfigRefs',
      'publishConnectionDetailsTo',
    ]);
  });

  it('puts required fields first and sections last, as the API server sorts properties by name', () => {
    const [, parameters] = xrdToTemplateParameters(parseXrd(objectStoreXrd));
    expect((parameters.properties.parameters as any)['ui:order']).toEqual([
      'region',
      'storageClass',
      'publicRead',
      'versioning',
      'lifecycle',
    ]);
  });

  it('renames spec fields that collide with the Resource step', () => {
    expect(props('helm').spec_namespace.description).toBe(
      'Namespace the release is installed in.',
    );
  });

  it('uses the requested version', () => {
    const old = props('bucket', { version: 'v1alpha1' }).parameters;
    expect(Object.keys(old.properties)).toEqual(['location']);
    expect(() =>
      xrdToTemplateParameters(xrd('bucket'), { version: 'v9' }),
    ).toThrow(CrossplaneModelError);
  });

  it('generates the forms of a whole XRD in one call', () => {
    const variants = xrdToTemplateParameterVariants(xrd('bucket'));
    expect(variants.map(v => `${v.version}/${v.target}`)).toEqual([
      'v1alpha1/claim',
      'v1alpha1/composite',
      'v1beta1/claim',
      'v1beta1/composite',
    ]);
  });

  it('produces a form for every fixture, every version and target', () => {
    for (const key of Object.keys(allXrds)) {
      for (const v of xrdToTemplateParameterVariants(xrd(key))) {
        expect(v.parameters[0].title).toBe('Resource');
        expect(JSON.parse(JSON.stringify(v.parameters))).toEqual(v.parameters);
      }
    }
  });

  it('rejects a malformed hints annotation with a typed error', () => {
    const raw = JSON.parse(JSON.stringify(allXrds.queue));
    raw.metadata.annotations['platformops.io/ui-schema'] = 'parameters: [1';
    expect(() => xrdToTemplateParameters(parseXrd(raw))).toThrow(
      CrossplaneModelError,
    );
  });
});
