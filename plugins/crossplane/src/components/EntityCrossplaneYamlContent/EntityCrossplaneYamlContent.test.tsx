import { screen, waitFor } from '@testing-library/react';
import {
  fakeCrossplaneApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/testing';
import { EntityCrossplaneYamlContent } from './EntityCrossplaneYamlContent';

const yaml = `apiVersion: database.example.org/v1alpha1
kind: PostgreSQLInstance
metadata:
  name: orders-db
  namespace: team-a
spec:
  parameters:
    storageGB: 20
  writeConnectionSecretToRef:
    name: orders-db-conn
`;

describe('EntityCrossplaneYamlContent', () => {
  it('shows the YAML of the object', async () => {
    const api = fakeCrossplaneApi({ getYaml: async () => yaml });
    await renderForEntity(<EntityCrossplaneYamlContent />, { api });

    expect(await screen.findByText('YAML')).toBeInTheDocument();
    expect(
      screen.getByText('PostgreSQLInstance team-a/orders-db in east'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(document.querySelector('code')?.textContent).toContain(
        'storageGB: 20',
      ),
    );
    expect(document.querySelector('code')?.textContent).toContain(
      'name: orders-db-conn',
    );
    expect(api.getYaml).toHaveBeenCalledWith({
      cluster: 'east',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
    });
  });

  it('says "not allowed" on 403', async () => {
    const error = await responseError(403, 'NotAllowedError', 'denied');
    const api = fakeCrossplaneApi({ getYaml: () => Promise.reject(error) });
    await renderForEntity(<EntityCrossplaneYamlContent />, { api });
    expect(await screen.findByText(/not allowed/i)).toBeInTheDocument();
  });
});
