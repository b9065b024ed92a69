import { parseXrd } from '../model/xrd';
import { CrossplaneModelError } from '../model/errors';
import { allXrds } from '../__fixtures__/xrds';
import {
  xrdToTemplateParameterVariants,
  xrdToTemplateParameters,
} from './xrdToTemplateParameters';
import { FormSchema } from './types';

const xrd = (name: keyof typeof allXrds) => parseXrd(allXrds[name]);
const clone = (v: unknown): any => JSON.parse(JSON.stringify(v));

function field(
  steps: ReturnType<typeof xrdToTemplateParameters>,
  path: string,
): FormSchema {
  const [first, ...rest] = path.split('.');
  const step = steps.find(s => s.properties[first]);
  if (!step) throw new Error(`no step has ${first}`);
  let node: FormSchema = step.properties[first];
  for (const key of rest) {
    node =
      key === '[]'
        ? (node.items as FormSchema)
        : (node.properties as Record<string, FormSchema>)[key];
    if (!node) throw new Error(`no ${path}`);
  }
  return node;
}

describe('xrdToTemplateParameters', () => {
  it.each(Object.keys(allXrds))('generates a form for the %s fixture', name => {
    const steps = xrdToTemplateParameters(xrd(name as keyof typeof allXrds));
    expect(steps[0].title).toBe('Resource');
    expect(steps[0].required).toContain('name');
    expect(steps[0].required).toContain('owner');
    expect(steps.length).toBeGreaterThan(1);
    for (const step of steps) {
      expect(typeof step.title).toBe('string');
      expect(Object.keys(step.properties).length).toBeGreaterThan(0);
    }
    expect(JSON.parse(JSON.stringify(steps))).toEqual(steps);
  });

  it('builds a claim form for a v1 XRD with claims: namespace, sections, defaults, enums, bounds', () => {
    const steps = xrdToTemplateParameters(xrd('postgres'));
    expect(steps.map(s => s.title)).toEqual(['Resource', 'Parameters']);
    expect(Object.keys(steps[0].properties)).toEqual([
      'name',
      'namespace',
      'owner',
    ]);
    expect(steps[0].properties.owner['ui:field']).toBe('OwnerPicker');
    expect(steps[0].properties.name.pattern).toBe(
      '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    );
    expect(steps[1].required).toEqual(['parameters']);
    expect(field(steps, 'parameters')).toMatchObject({
      type: 'object',
      title: 'Parameters',
      description: 'Database instance configuration.',
      required: ['storageGB', 'region'],
    });
    expect(field(steps, 'parameters.storageGB')).toEqual({
      title: 'Storage GB',
      description: 'Allocated storage in GiB.',
      type: 'integer',
      minimum: 10,
      maximum: 1000,
      default: 20,
    });
    expect(field(steps, 'parameters.version')).toMatchObject({
      type: 'string',
      enum: ['13', '14', '15', '16'],
      default: '16',
    });
    expect(field(steps, 'parameters.region').pattern).toBe(
      '^[a-z]{2}-[a-z]+-[0-9]$',
    );
    expect(field(steps, 'parameters.highAvailability')).toMatchObject({
      type: 'boolean',
      default: false,
    });
  });

  it('leaves the namespace out for cluster-scoped composites', () => {
    expect(
      Object.keys(
        xrdToTemplateParameters(xrd('postgres'), { target: 'composite' })[0]
          .properties,
      ),
    ).toEqual(['name', 'owner']);
    expect(
      Object.keys(xrdToTemplateParameters(xrd('tenant'))[0].properties),
    ).toEqual(['name', 'owner']);
    expect(
      Object.keys(
        xrdToTemplateParameters(xrd('app'), { defaultNamespace: 'team-b' })[0]
          .properties,
      ),
    ).toEqual(['name', 'namespace', 'owner']);
    expect(
      xrdToTemplateParameters(xrd('app'), { defaultNamespace: 'team-b' })[0]
        .properties.namespace.default,
    ).toBe('team-b');
  });

  it('renders arrays of objects and of scalars', () => {
    const steps = xrdToTemplateParameters(xrd('network'));
    expect(field(steps, 'parameters.subnets')).toMatchObject({
      type: 'array',
      minItems: 1,
      maxItems: 6,
    });
    expect(field(steps, 'parameters.subnets.[]')).toMatchObject({
      type: 'object',
      required: ['cidrBlock', 'zone'],
    });
    expect(field(steps, 'parameters.subnets.[].type')).toMatchObject({
      enum: ['public', 'private'],
      default: 'private',
    });
    // cidr is not a format the form knows: left to the server-side check.
    expect(
      field(steps, 'parameters.subnets.[].cidrBlock').format,
    ).toBeUndefined();
    const web = xrdToTemplateParameters(xrd('webapp'));
    expect(field(web, 'domains')).toMatchObject({
      type: 'array',
      uniqueItems: true,
      maxItems: 5,
      items: { type: 'string', format: 'hostname' },
    });
    expect(field(web, 'ports.[]')).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 65535,
    });
    expect(field(web, 'ingress.annotations')).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
  });

  it('turns int-or-string into text and free-form objects into YAML fields', () => {
    const app = xrdToTemplateParameters(xrd('app'));
    expect(field(app, 'port')).toMatchObject({
      type: 'string',
      description: 'Container port, by number or name.',
    });
    expect(app.map(s => s.title)).toEqual(['Resource', 'Settings']);
    expect(app[1].required).toEqual(['image']);
    const fn = xrdToTemplateParameters(xrd('functionApp'));
    expect(field(fn, 'timeoutSeconds')).toMatchObject({
      type: 'string',
      default: '30',
    });
    const helm = xrdToTemplateParameters(xrd('helm'));
    expect(field(helm, 'values')).toMatchObject({
      type: 'string',
      'ui:widget': 'textarea',
      description: '(YAML)',
    });
    const redis = xrdToTemplateParameters(xrd('redis'));
    expect(field(redis, 'parameters.config')).toMatchObject({
      type: 'string',
      'ui:widget': 'textarea',
      description: 'Raw redis.conf settings. (YAML)',
    });
    expect(field(redis, 'parameters.memoryMB')).toMatchObject({
      type: 'integer',
      enum: [256, 512, 1024, 4096],
      default: 512,
    });
    const tenant = xrdToTemplateParameters(xrd('tenant'));
    expect(field(tenant, 'quotas')).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(field(tenant, 'admins.[]')).toEqual({
      type: 'string',
      format: 'email',
    });
  });

  it('renames spec fields that collide with the Resource step', () => {
    const helm = xrdToTemplateParameters(xrd('helm'));
    expect(field(helm, 'spec_namespace')).toMatchObject({
      title: 'Namespace',
      description: 'Namespace the release is installed in.',
    });
  });

  it('keeps oneOf/anyOf with readable option titles and converts exclusive bounds', () => {
    const db = xrdToTemplateParameters(xrd('database'));
    expect(field(db, 'source').oneOf).toEqual([
      { required: ['snapshot'], title: 'With snapshot' },
      { required: ['pointInTime'], title: 'With point in time' },
    ]);
    expect(field(db, 'source.pointInTime').format).toBe('date-time');
    expect(field(db, 'cpu')).toMatchObject({
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 64,
    });
    const bucket = xrdToTemplateParameters(xrd('bucket'));
    expect(field(bucket, 'parameters.lifecycleDays')).toMatchObject({
      minimum: 1,
      exclusiveMaximum: 3650,
    });
    const fn = xrdToTemplateParameters(xrd('functionApp'));
    expect(field(fn, 'source').anyOf).toHaveLength(2);
  });

  it('applies x-ui-* keys and the ui-schema annotation', () => {
    const steps = xrdToTemplateParameters(xrd('queue'));
    expect(field(steps, 'parameters.name')['ui:help']).toBe(
      'The queue name as seen by applications.',
    );
    expect(field(steps, 'parameters.visibility')['ui:widget']).toBe('radio');
    expect(field(steps, 'parameters.fifo')['ui:widget']).toBe('radio');
    expect(field(steps, 'parameters.retentionSeconds')['ui:help']).toBe(
      'How long unread messages are kept.',
    );
    expect(field(steps, 'parameters')['ui:order']).toEqual([
      'name',
      'fifo',
      'retentionSeconds',
      '*',
    ]);
    const broken = clone(allXrds.queue);
    broken.metadata.annotations['platformops.io/ui-schema'] = 'parameters: [';
    expect(() => xrdToTemplateParameters(parseXrd(broken))).toThrow(
      CrossplaneModelError,
    );
    broken.metadata.annotations['platformops.io/ui-schema'] =
      '{"parameters": {"order": 1}}';
    expect(() => xrdToTemplateParameters(parseXrd(broken))).toThrow(
      /hints must start with "ui:"/,
    );
  });

  it('hides Crossplane fields unless asked, then offers composition and connection secret', () => {
    const raw = clone(allXrds.postgres);
    raw.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.compositionRef =
      {
        type: 'object',
        properties: { name: { type: 'string' } },
      };
    const parsed = parseXrd(raw);
    const plain = xrdToTemplateParameters(parsed);
    expect(
      plain.some(s => s.properties.compositionRef || s.properties.crossplane),
    ).toBe(false);
    const full = xrdToTemplateParameters(parsed, {
      includeCrossplaneFields: true,
    });
    const last = full[full.length - 1];
    expect(last.title).toBe('Crossplane');
    const props = (last.properties.crossplane as any).properties;
    expect(Object.keys(props)).toEqual([
      'compositionRef',
      'compositionSelector',
      'writeConnectionSecretToRef',
    ]);
    expect(props.compositionRef.description).toContain(
      'xpostgresqlinstances.aws.database.example.org',
    );
    // v2 composites have no connection secret.
    const app = xrdToTemplateParameters(xrd('app'), {
      includeCrossplaneFields: true,
    });
    expect(
      Object.keys(
        (app[app.length - 1].properties.crossplane as any).properties,
      ),
    ).toEqual(['compositionRef', 'compositionSelector']);
  });

  it('uses the requested version', () => {
    const old = xrdToTemplateParameters(xrd('bucket'), { version: 'v1alpha1' });
    expect(Object.keys(field(old, 'parameters').properties as object)).toEqual([
      'location',
    ]);
    const current = xrdToTemplateParameters(xrd('bucket'));
    expect(
      Object.keys(field(current, 'parameters').properties as object),
    ).toEqual(['region', 'versioning', 'lifecycleDays', 'tags']);
    expect(() =>
      xrdToTemplateParameters(xrd('bucket'), { version: 'v9' }),
    ).toThrow(CrossplaneModelError);
  });

  it('generates every variant of an XRD in one call', () => {
    const variants = xrdToTemplateParameterVariants(xrd('bucket'));
    expect(variants.map(v => `${v.version}/${v.target}`)).toEqual([
      'v1alpha1/claim',
      'v1alpha1/composite',
      'v1beta1/claim',
      'v1beta1/composite',
    ]);
    expect(
      xrdToTemplateParameterVariants(xrd('app')).map(v => v.target),
    ).toEqual(['composite']);
  });
});
