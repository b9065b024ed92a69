import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import {
  fakeCrossplaneApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/testing';
import { CrossplaneCompositionPicker } from './CrossplaneCompositionPicker';
import { CrossplaneNamespacePicker } from './CrossplaneNamespacePicker';

const xrd = 'xpostgresqlinstances.database.example.org';

/** The props the scaffolder gives a picker of a generated form. */
function fieldProps(
  formData: Record<string, unknown>,
  value?: string,
  options: Record<string, unknown> = { xrd, clusters: ['east', 'west'] },
) {
  return {
    schema: { type: 'string', title: 'Namespace' },
    uiSchema: { 'ui:options': options },
    idSchema: { $id: 'root_namespace' },
    formContext: { formData },
    formData: value,
    onChange: jest.fn(),
    rawErrors: [],
    required: true,
  } as any;
}

const namespaces = (cluster: string, items: string[]) => ({
  cluster,
  xrd,
  kind: 'PostgreSQLInstance',
  namespaced: true,
  items,
});

describe('CrossplaneNamespacePicker', () => {
  it("offers the namespaces of the template's default cluster until one is chosen, then of the chosen one", async () => {
    const api = fakeCrossplaneApi({
      getNamespaceChoices: async ({ cluster }) =>
        namespaces(
          cluster,
          cluster === 'east' ? ['team-alpha', 'team-gamma'] : ['team-west'],
        ),
    });
    const onChange = jest.fn();
    /** The picker of a form whose first step, "Delivery", is answered by a button. */
    function Form() {
      const [cluster, setCluster] = useState<string | undefined>();
      const [value, setValue] = useState<string | undefined>();
      const change = (v: string | undefined) => {
        onChange(v);
        setValue(v);
      };
      return (
        <>
          <button onClick={() => setCluster('west')}>west</button>
          <CrossplaneNamespacePicker
            {...fieldProps({ name: 'orders-db', cluster }, value)}
            onChange={change}
          />
        </>
      );
    }
    await renderWithApi(<Form />, api);
    await waitFor(() => screen.getByTestId('namespace-picker'));
    expect(api.getNamespaceChoices).toHaveBeenCalledWith({
      cluster: 'east',
      xrd,
    });
    fireEvent.mouseDown(screen.getByRole('button', { name: /Namespace/ }));
    const list = within(screen.getByRole('listbox'));
    expect(list.getAllByRole('option').map(o => o.textContent)).toEqual([
      'team-alpha',
      'team-gamma',
    ]);
    fireEvent.click(list.getByText('team-gamma'));
    expect(onChange).toHaveBeenLastCalledWith('team-gamma');

    // Another cluster chosen in the "Delivery" step: its namespaces, the
    // value it does not offer cleared, its only one chosen instead.
    fireEvent.click(screen.getByText('west'));
    await waitFor(() =>
      expect(api.getNamespaceChoices).toHaveBeenLastCalledWith({
        cluster: 'west',
        xrd,
      }),
    );
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith('team-west'));
    expect(onChange).toHaveBeenCalledWith(undefined);
  });

  it('chooses the only namespace there is', async () => {
    const api = fakeCrossplaneApi({
      getNamespaceChoices: async ({ cluster }) =>
        namespaces(cluster, ['team-alpha']),
    });
    const props = fieldProps({});
    await renderWithApi(<CrossplaneNamespacePicker {...props} />, api);
    await waitFor(() =>
      expect(props.onChange).toHaveBeenCalledWith('team-alpha'),
    );
  });

  it('says why there is nothing to choose', async () => {
    const api = fakeCrossplaneApi({
      getNamespaceChoices: async ({ cluster }) => namespaces(cluster, []),
    });
    const props = fieldProps({});
    await renderWithApi(<CrossplaneNamespacePicker {...props} />, api);
    const empty = await screen.findByTestId('namespace-picker-empty');
    expect(empty.textContent).toContain(
      'You may create PostgreSQLInstance in no namespace of cluster east',
    );
    expect(props.onChange).not.toHaveBeenCalled();
  });

  it("shows the backend's refusal", async () => {
    const api = fakeCrossplaneApi({
      getNamespaceChoices: async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'not allowed: crossplane.clusters.read',
        );
      },
    });
    await renderWithApi(<CrossplaneNamespacePicker {...fieldProps({})} />, api);
    expect(
      (await screen.findByTestId('namespace-picker-error')).textContent,
    ).toContain('not allowed: crossplane.clusters.read');
  });

  it('asks nothing without an XRD', async () => {
    const api = fakeCrossplaneApi();
    await renderWithApi(
      <CrossplaneNamespacePicker {...fieldProps({}, undefined, {})} />,
      api,
    );
    expect(screen.getByTestId('namespace-picker-unset')).toBeInTheDocument();
    expect(api.getNamespaceChoices).not.toHaveBeenCalled();
  });
});

describe('CrossplaneCompositionPicker', () => {
  it("offers the XRD's Compositions with their labels, the default first as no choice", async () => {
    const api = fakeCrossplaneApi({
      getCompositionChoices: async ({ cluster }) => ({
        cluster,
        xrd,
        items: [
          { name: 'postgres-large', labels: { size: 'large' }, default: false },
          {
            name: 'postgres-small',
            labels: {} as Record<string, string>,
            default: true,
          },
        ],
      }),
    });
    const props = {
      ...fieldProps({ cluster: 'west' }),
      schema: { type: 'string', title: 'Composition' },
    };
    await renderWithApi(<CrossplaneCompositionPicker {...props} />, api);
    await waitFor(() => screen.getByTestId('composition-picker'));
    expect(api.getCompositionChoices).toHaveBeenCalledWith({
      cluster: 'west',
      xrd,
    });
    fireEvent.mouseDown(screen.getByRole('button', { name: /Composition/ }));
    const list = within(screen.getByRole('listbox'));
    expect(list.getAllByRole('option').map(o => o.textContent)).toEqual([
      'Default (postgres-small)',
      'postgres-large · size=large',
      'postgres-small (default)',
    ]);
    fireEvent.click(list.getByText('postgres-large · size=large'));
    expect(props.onChange).toHaveBeenCalledWith('postgres-large');
  });

  it('shows nothing where there is one Composition to use', async () => {
    const api = fakeCrossplaneApi({
      getCompositionChoices: async ({ cluster }) => ({
        cluster,
        xrd,
        items: [{ name: 'postgres-small', labels: {}, default: false }],
      }),
    });
    await renderWithApi(
      <CrossplaneCompositionPicker {...fieldProps({})} />,
      api,
    );
    await waitFor(() => expect(api.getCompositionChoices).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
    expect(screen.queryByTestId('composition-picker')).not.toBeInTheDocument();
  });

  it('says when the cluster has no Composition for the XRD', async () => {
    const api = fakeCrossplaneApi({
      getCompositionChoices: async ({ cluster }) => ({
        cluster,
        xrd,
        items: [],
      }),
    });
    await renderWithApi(
      <CrossplaneCompositionPicker {...fieldProps({})} />,
      api,
    );
    expect(
      (await screen.findByTestId('composition-picker-empty')).textContent,
    ).toContain(`Cluster east has no Composition for ${xrd}`);
  });
});
