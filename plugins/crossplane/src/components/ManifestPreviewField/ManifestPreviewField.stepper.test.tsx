import {
  deliveryFormStep,
  MANIFEST_PREVIEW_FIELD,
  reviewFormStep,
} from '@platformops/plugin-crossplane-common';
import { SecretsContextProvider } from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { fakeCrossplaneApi, renderWithApi } from '../../__testUtils__/testing';
import { ManifestPreviewField } from './ManifestPreviewField';

const xrd = 'xbuckets.storage.example.org';

/** A generated form's last steps, as the catalog module makes them. */
const manifest = {
  title: 'Bucket',
  steps: [
    {
      title: 'Resource',
      schema: {
        required: ['name'],
        properties: { name: { type: 'string', title: 'Name' } },
      },
    },
    { title: 'Delivery', schema: deliveryFormStep({ clusters: ['east'] }) },
    { title: 'Review', schema: reviewFormStep({ xrd }) },
  ],
} as any;

describe('ManifestPreviewField in the scaffolder form', () => {
  it('previews what the form collected before Create, and adds no value to it', async () => {
    const api = fakeCrossplaneApi({
      previewCreate: async request => ({
        manifest: `kind: Bucket\nmetadata:\n  name: ${request.values.name}\n`,
        validation: { ok: true },
      }),
    });
    const onCreate = jest.fn(async () => {});
    await renderWithApi(
      <SecretsContextProvider>
        <Stepper
          manifest={manifest}
          extensions={[
            { name: MANIFEST_PREVIEW_FIELD, component: ManifestPreviewField },
          ]}
          onCreate={onCreate}
        />
      </SecretsContextProvider>,
      api,
    );

    fireEvent.change(await screen.findByRole('textbox', { name: /Name/ }), {
      target: { value: 'logs' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    // Delivery: the only cluster, preselected.
    await screen.findByText('Cluster the resource is created in.');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    expect(
      await screen.findByTestId('manifest-preview-validation', undefined, {
        timeout: 5000,
      }),
    ).toHaveTextContent('The API server accepts it');
    await waitFor(() =>
      expect(screen.getByTestId('manifest-preview-manifest')).toHaveTextContent(
        'name: logs',
      ),
    );
    expect(api.previewCreate).toHaveBeenCalledWith({
      cluster: 'east',
      xrd,
      values: { name: 'logs', cluster: 'east' },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate).toHaveBeenCalledWith({ name: 'logs', cluster: 'east' });
  }, 30_000);
});
