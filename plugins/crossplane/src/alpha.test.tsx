import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import crossplanePlugin from './alpha';
import { CrossplaneApi, crossplaneApiRef } from './api/CrossplaneApi';

describe('crossplane frontend plugin (new frontend system)', () => {
  it('mounts the control-plane page with the clusters from the API', async () => {
    const api: CrossplaneApi = {
      getClusters: async () => [
        { name: 'east', reachable: true, kubernetesVersion: 'v1.34.1' },
        { name: 'west', reachable: false, error: 'connect ECONNREFUSED' },
      ],
    };

    renderTestApp({
      features: [crossplanePlugin],
      initialRouteEntries: ['/crossplane'],
      apis: [[crossplaneApiRef, api]],
    });

    expect(await screen.findByText('east')).toBeInTheDocument();
    expect(screen.getByText('v1.34.1')).toBeInTheDocument();
    expect(screen.getByText('Unreachable')).toBeInTheDocument();
    expect(screen.getByText('connect ECONNREFUSED')).toBeInTheDocument();
  });
});
