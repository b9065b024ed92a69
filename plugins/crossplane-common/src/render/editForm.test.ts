import fc from 'fast-check';
import {
  CrossplaneModelError,
  formOwnedManifest,
  KubernetesObject,
  parseXrd,
  renderManifest,
  renderSpecEdit,
  specFormSteps,
  specToFormValues,
  templateFormDataToRenderInput,
  Xrd,
  xrdFormTargetOf,
} from '..';
import { allXrds } from '../__fixtures__/xrds';
import { formAccepts, formDataArb } from '../__testUtils__/formArbitraries';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const xrd = (key: string) => parseXrd(allXrds[key]);

const claim: KubernetesObject = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: {
    name: 'orders-db',
    namespace: 'team-a',
    labels: { 'platformops.io/owner': 'group.default.team-a' },
  },
  spec: {
    parameters: { storageGB: 20, region: 'eu-west-1', size: 'small' },
    compositionRef: { name: 'pg-aws' },
    resourceRef: { apiVersion: 'x/v1', kind: 'X', name: 'orders-db-x1' },
    writeConnectionSecretToRef: { name: 'orders-db-conn' },
  },
};

describe('the edit form of an object', () => {
  it('is the spec steps of its XRD, without the Resource step', () => {
    const steps = specFormSteps(xrd('postgres'), {
      target: 'claim',
      version: 'v1alpha1',
    });
    expect(steps.map(s => s.title)).not.toContain('Resource');
    expect(steps.flatMap(s => Object.keys(s.properties))).toEqual([
      'parameters',
    ]);
  });

  it('knows a claim from a composite by kind, and refuses other kinds', () => {
    expect(xrdFormTargetOf(xrd('postgres'), claim)).toEqual({
      target: 'claim',
      version: 'v1alpha1',
    });
    expect(() =>
      xrdFormTargetOf(xrd('postgres'), { ...claim, kind: 'Bucket' }),
    ).toThrow('kind: Bucket in database.example.org/v1alpha1 is not defined');
  });

  it('is prefilled with the live values of the fields it owns only', () => {
    expect(
      specToFormValues(
        xrd('postgres'),
        { target: 'claim', version: 'v1alpha1' },
        claim.spec,
      ),
    ).toEqual({
      parameters: { storageGB: 20, region: 'eu-west-1', size: 'small' },
    });
  });

  it('turns int-or-string values into text and free-form objects into YAML', () => {
    const values = specToFormValues(
      xrd('app'),
      { target: 'composite', version: 'v1' },
      {
        image: 'nginx',
        port: 8080,
        crossplane: { compositionRef: { name: 'a' } },
      },
    );
    expect(values).toEqual({ image: 'nginx', port: '8080' });
  });

  it('writes only apiVersion, kind, name, namespace and the owned spec', () => {
    expect(formOwnedManifest(xrd('postgres'), claim)).toEqual({
      apiVersion: claim.apiVersion,
      kind: claim.kind,
      metadata: { name: 'orders-db', namespace: 'team-a' },
      spec: {
        parameters: { storageGB: 20, region: 'eu-west-1', size: 'small' },
      },
    });
  });
});

describe('renderSpecEdit', () => {
  const edit = (values: Record<string, unknown>) =>
    renderSpecEdit(xrd('postgres'), claim, values);

  it('renders the new values with the checks of a create', () => {
    expect(
      edit({
        parameters: { storageGB: '40', region: 'eu-west-1', size: 'small' },
      }),
    ).toEqual({
      apiVersion: claim.apiVersion,
      kind: claim.kind,
      metadata: { name: 'orders-db', namespace: 'team-a' },
      spec: {
        parameters: { storageGB: 40, size: 'small', region: 'eu-west-1' },
      },
    });
  });

  it.each([
    ['name', 'values.name: is not a field of the PostgreSQLInstance form'],
    ['owner', 'values.owner: is not a field'],
    ['crossplane', 'values.crossplane: is not a field'],
    ['resourceRef', 'values.resourceRef: is not a field'],
  ])('refuses %s, which the edit form does not have', (key, message) => {
    expect(() => edit({ [key]: 'x' })).toThrow(message);
  });

  it('applies the namespace policy to the object edited', () => {
    expect(() =>
      renderSpecEdit(
        xrd('postgres'),
        { ...claim, metadata: { ...claim.metadata, namespace: 'kube-system' } },
        { parameters: { storageGB: 20 } },
      ),
    ).toThrow(CrossplaneModelError);
  });
});

/** The values of a whole generated form that a spec form would hold. */
function specValuesOf(data: Record<string, unknown>, steps: string[]) {
  return Object.fromEntries(
    Object.entries(data).filter(([key]) => steps.includes(key)),
  );
}

describe('prefill is the inverse of render', () => {
  const cases = Object.entries(allXrds).flatMap(([name, raw]) => {
    const parsed: Xrd = parseXrd(raw);
    return (
      parsed.claimNames
        ? (['claim', 'composite'] as const)
        : (['composite'] as const)
    ).map(target => [`${name} ${target}`, parsed, target] as const);
  });

  it.each(cases)(
    '%s: render(values) -> prefill -> render gives the same spec, and the same values',
    (_, parsed, target) => {
      const version = parsed.versions.find(v => v.referenceable)!.name;
      const steps = specFormSteps(parsed, { target, version });
      const keys = steps.flatMap(s => Object.keys(s.properties));
      fc.assert(
        fc.property(formDataArb(steps), data => {
          fc.pre(formAccepts(steps, data));
          const render = (values: Record<string, unknown>) =>
            renderManifest(
              templateFormDataToRenderInput(
                parsed,
                { ...values, name: 'x', namespace: 'team-a' },
                { target, version },
              ),
            ).manifest;
          const first = render(specValuesOf(data, keys));
          const prefilled = specToFormValues(
            parsed,
            { target, version },
            first.spec,
          );
          expect(render(prefilled).spec).toEqual(first.spec);
          // Prefilling what the prefill renders gives it back unchanged.
          expect(
            specToFormValues(
              parsed,
              { target, version },
              render(prefilled).spec,
            ),
          ).toEqual(prefilled);
          // And an edit of the object with those values writes that spec.
          expect(renderSpecEdit(parsed, first, prefilled).spec).toEqual(
            formOwnedManifest(parsed, first).spec,
          );
        }),
        { numRuns: NUM_RUNS },
      );
    },
  );
});
