import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import {
  fakeCrossplaneApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/testing';
import { CrossplaneCreatePreview } from '../../api/types';
import { ManifestPreview, ManifestPreviewField } from './ManifestPreviewField';

const xrd = 'xpostgresqlinstances.database.example.org';

const formData = {
  name: 'orders-db',
  namespace: 'team-a',
  parameters: { storageGB: 20 },
  cluster: 'east',
  delivery: 'apply',
};

const manifest = [
  'apiVersion: database.example.org/v1alpha1',
  'kind: PostgreSQLInstance',
  'metadata:',
  '  name: orders-db',
  '  namespace: team-a',
  'spec:',
  '  parameters:',
  '    storageGB: 20',
  '',
].join('\n');

/** The props the scaffolder gives a field of a generated "Review" step. */
function fieldProps(data: Record<string, unknown>) {
  return {
    schema: { type: 'string', title: 'Manifest' },
    uiSchema: { 'ui:options': { xrd } },
    formContext: { formData: data },
    onChange: jest.fn(),
  } as any;
}

/** A form whose name is typed into a text box, the preview below it. */
function TypedName(props: { debounceMs: number }) {
  const [name, setName] = useState('o');
  return (
    <>
      <input
        aria-label="Name"
        value={name}
        onChange={e => setName(e.target.value)}
      />
      <ManifestPreview
        xrd={xrd}
        formData={{ ...formData, name }}
        debounceMs={props.debounceMs}
      />
    </>
  );
}

describe('ManifestPreviewField', () => {
  it('previews the form data as the render step receives it, and shows the exact manifest and an accepted dry run', async () => {
    const api = fakeCrossplaneApi({
      previewCreate: async () => ({ manifest, validation: { ok: true } }),
    });
    await renderWithApi(
      <ManifestPreviewField {...fieldProps(formData)} />,
      api,
    );

    await waitFor(
      () =>
        expect(
          screen.getByTestId('manifest-preview-manifest').textContent,
        ).toContain('storageGB: 20'),
      { timeout: 5000 },
    );
    expect(
      screen.getByTestId('manifest-preview-manifest').querySelector('code')
        ?.textContent,
    ).toBe(manifest);
    expect(api.previewCreate).toHaveBeenCalledTimes(1);
    expect(api.previewCreate).toHaveBeenCalledWith({
      cluster: 'east',
      xrd,
      values: formData,
    });
    expect(screen.getByTestId('manifest-preview-validation')).toHaveTextContent(
      'The API server accepts it',
    );
  });

  it("shows a refused dry run with the API server's message naming the field", async () => {
    const refused: CrossplaneCreatePreview = {
      manifest,
      validation: {
        ok: false,
        message:
          'PostgreSQLInstance.database.example.org "orders-db" is invalid: spec.parameters.storageGB: Invalid value: 20: spec.parameters.storageGB in body should be greater than or equal to 50',
      },
    };
    const api = fakeCrossplaneApi({ previewCreate: async () => refused });
    await renderWithApi(
      <ManifestPreviewField {...fieldProps(formData)} />,
      api,
    );

    const validation = await screen.findByTestId(
      'manifest-preview-validation',
      undefined,
      { timeout: 5000 },
    );
    expect(validation).toHaveTextContent('The API server refuses it');
    expect(validation).toHaveTextContent(
      'spec.parameters.storageGB in body should be greater than or equal to 50',
    );
    expect(screen.getByTestId('manifest-preview-manifest')).toHaveTextContent(
      'orders-db',
    );
  });

  it("shows the backend's reason when the form renders no manifest", async () => {
    const error = await responseError(
      400,
      'InputError',
      'values.name: must be a DNS-1123 label',
    );
    const api = fakeCrossplaneApi({
      previewCreate: async () => {
        throw error;
      },
    });
    await renderWithApi(
      <ManifestPreviewField {...fieldProps({ ...formData, name: 'Orders' })} />,
      api,
    );

    expect(
      await screen.findByTestId('manifest-preview-error', undefined, {
        timeout: 5000,
      }),
    ).toHaveTextContent('values.name: must be a DNS-1123 label');
    expect(screen.queryByTestId('manifest-preview-manifest')).toBeNull();
  });

  it('asks again once typing pauses, not on every keystroke', async () => {
    const api = fakeCrossplaneApi({
      previewCreate: async request => ({
        manifest: `metadata:\n  name: ${request.values.name}\n`,
        validation: { ok: true },
      }),
    });
    await renderWithApi(<TypedName debounceMs={300} />, api);
    await screen.findByTestId('manifest-preview-manifest', undefined, {
      timeout: 5000,
    });
    expect(api.previewCreate).toHaveBeenCalledTimes(1);

    const input = screen.getByLabelText('Name');
    for (const typed of ['or', 'ord', 'orde', 'order', 'orders']) {
      fireEvent.change(input, { target: { value: typed } });
    }
    await waitFor(
      () =>
        expect(
          screen.getByTestId('manifest-preview-manifest'),
        ).toHaveTextContent('name: orders'),
      { timeout: 5000 },
    );
    expect(api.previewCreate).toHaveBeenCalledTimes(2);
    expect(api.previewCreate).toHaveBeenLastCalledWith({
      cluster: 'east',
      xrd,
      values: { ...formData, name: 'orders' },
    });
  });

  it.each([
    ['without a cluster', { ...formData, cluster: undefined }, { xrd }],
    ['without a name', { ...formData, name: '' }, { xrd }],
    ['without the XRD option', formData, {}],
  ])(
    'shows only a hint for a form %s, and asks nothing',
    async (_, data, options) => {
      const api = fakeCrossplaneApi();
      await renderWithApi(
        <ManifestPreviewField
          {...fieldProps(data)}
          uiSchema={{ 'ui:options': options }}
        />,
        api,
      );

      expect(
        await screen.findByTestId('manifest-preview-hint'),
      ).toBeInTheDocument();
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(api.previewCreate).not.toHaveBeenCalled();
      expect(screen.queryByTestId('manifest-preview-manifest')).toBeNull();
      expect(screen.queryByTestId('manifest-preview-validation')).toBeNull();
    },
  );
});
