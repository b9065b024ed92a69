import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  fakeCrossplaneApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/testing';
import { ControlPlanePage } from './ControlPlanePage';
import {
  clusters,
  resources,
  summaryFor,
} from '../../__testUtils__/summaryFixtures';
import { filterResources, sortResources } from './resources';

function dataRows() {
  // The first row is the header.
  return screen.getAllByRole('row').slice(1);
}

function pickOption(label: string, option: string) {
  const input = screen.getByLabelText(label);
  fireEvent.mouseDown(input);
  fireEvent.change(input, { target: { value: option } });
  fireEvent.click(screen.getByRole('option', { name: option }));
}

describe('sortResources / filterResources', () => {
  it('sorts the worst rolled-up health first', () => {
    const sorted = sortResources([...resources].reverse());
    expect(sorted.map(r => r.name)).toEqual(['orders-db', 'assets', 'logs']);
  });

  it('keeps the resources that match every filter', () => {
    expect(
      filterResources(resources, {
        cluster: ['east'],
        namespace: ['team-a'],
      }).map(r => r.name),
    ).toEqual(['orders-db', 'logs']);
    expect(filterResources(resources, { owner: [] })).toHaveLength(3);
  });
});

describe('ControlPlanePage', () => {
  it('shows the health of each cluster', async () => {
    const api = fakeCrossplaneApi({
      getClusters: async () => clusters,
      getSummary: async f => summaryFor(f),
    });
    await renderWithApi(<ControlPlanePage />, api);

    const east = await screen.findByTestId('cluster-tile-east');
    expect(
      within(east).getByText('Kubernetes v1.34.1 · 42 objects'),
    ).toBeInTheDocument();
    expect(within(east).getByText('1 Degraded')).toBeInTheDocument();
    expect(within(east).getByText('1 Healthy')).toBeInTheDocument();
    expect(
      within(east).getByText('Not refreshing: Bucket.s3.aws.upbound.io'),
    ).toBeInTheDocument();
    expect(screen.getByText('Reachable')).toBeInTheDocument();

    const west = screen.getByTestId('cluster-tile-west');
    expect(screen.getByText('Unreachable')).toBeInTheDocument();
    expect(
      within(west).getByText(/connect ECONNREFUSED 10.0.0.7:6443/),
    ).toBeInTheDocument();
    expect(within(west).getByText('2 minutes ago')).toBeInTheDocument();
    expect(within(west).getByText('1 Unknown')).toBeInTheDocument();
  });

  it('lists failing resources first with their message and entity link', async () => {
    const api = fakeCrossplaneApi({
      getClusters: async () => clusters,
      getSummary: async f => summaryFor(f),
    });
    await renderWithApi(<ControlPlanePage />, api);

    expect(await screen.findByText('Resources (3)')).toBeInTheDocument();
    expect(screen.getByText('2 failing')).toBeInTheDocument();
    const rows = dataRows();
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByText('Degraded')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText(
        'InvalidParameterValue: invalid DB instance class',
      ),
    ).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('Instance orders-db-8fk2p-rds: ReconcileError'),
    ).toBeInTheDocument();
    expect(
      within(rows[0])
        .getByText('PostgreSQLInstance team-a/orders-db')
        .closest('a'),
    ).toHaveAttribute('href', '/catalog/team-a/resource/orders-db');
    expect(within(rows[1]).getByText('Unknown')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Healthy')).toBeInTheDocument();
    expect(
      within(rows[2]).getByText('Bucket team-a/logs').closest('a'),
    ).toBeNull();

    const totals = screen.getByTestId('health-totals');
    expect(within(totals).getByText('1 Degraded')).toBeInTheDocument();
    expect(within(totals).getByText('1 Unknown')).toBeInTheDocument();
    expect(within(totals).getByText('1 Healthy')).toBeInTheDocument();
    expect(within(totals).getByText('0 Paused')).toBeInTheDocument();
  });

  it('shows a paused claim as Paused in its row, its cluster and the totals', async () => {
    const paused = {
      ...resources[2],
      name: 'archive',
      health: {
        status: 'Paused' as const,
        reason: 'ReconcilePaused',
        message:
          'reconciliation is paused by the crossplane.io/paused annotation',
      },
      rolledUpHealth: {
        status: 'Paused' as const,
        reason: 'ReconcilePaused',
        message:
          'reconciliation is paused by the crossplane.io/paused annotation',
      },
    };
    const api = fakeCrossplaneApi({
      getClusters: async () => clusters,
      getSummary: async (f, p) => summaryFor(f, p, [...resources, paused]),
    });
    await renderWithApi(<ControlPlanePage />, api);

    expect(await screen.findByText('Resources (4)')).toBeInTheDocument();
    // Paused is not failing.
    expect(screen.getByText('2 failing')).toBeInTheDocument();
    const row = dataRows().find(r =>
      within(r).queryByText('Bucket team-a/archive'),
    )!;
    expect(within(row).getByText('Paused')).toBeInTheDocument();
    expect(
      within(row).getByText(
        'reconciliation is paused by the crossplane.io/paused annotation',
      ),
    ).toBeInTheDocument();
    const totals = screen.getByTestId('health-totals');
    expect(within(totals).getByText('1 Paused')).toBeInTheDocument();
    const east = screen.getByTestId('cluster-tile-east');
    expect(within(east).getByText('1 Paused')).toBeInTheDocument();
  });

  it('narrows the list with the filters', async () => {
    const api = fakeCrossplaneApi({
      getClusters: async () => clusters,
      getSummary: async f => summaryFor(f),
    });
    await renderWithApi(<ControlPlanePage />, api);
    expect(await screen.findByText('Resources (3)')).toBeInTheDocument();

    pickOption('Cluster', 'east');
    expect(await screen.findByText('Resources (2)')).toBeInTheDocument();
    expect(screen.queryByText('Bucket team-b/assets')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(api.getSummary).toHaveBeenLastCalledWith(
        { cluster: ['east'] },
        { limit: 500 },
      ),
    );

    pickOption('XRD', 'xbuckets.storage.example.org');
    expect(await screen.findByText('Resources (1)')).toBeInTheDocument();
    expect(dataRows()).toHaveLength(1);
    expect(screen.getByText('Bucket team-a/logs')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getSummary).toHaveBeenLastCalledWith(
        { cluster: ['east'], xrd: ['xbuckets.storage.example.org'] },
        { limit: 500 },
      ),
    );
  });

  it('loads the worst resources first and more on request, counting all', async () => {
    const api = fakeCrossplaneApi({
      getClusters: async () => clusters,
      getSummary: async (f, page) => summaryFor(f, page),
    });
    await renderWithApi(<ControlPlanePage pageSize={2} />, api);

    expect(await screen.findByText('Resources (3)')).toBeInTheDocument();
    expect(screen.getByText('2 failing')).toBeInTheDocument();
    expect(dataRows()).toHaveLength(2);
    expect(screen.getByText(/Showing the 2 worst of 3/)).toBeInTheDocument();
    expect(screen.queryByText('Bucket team-a/logs')).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Show 1 more' }));
    await waitFor(() => expect(dataRows()).toHaveLength(3));
    expect(api.getSummary).toHaveBeenLastCalledWith({}, { limit: 4 });
    expect(screen.getByText('Bucket team-a/logs')).toBeInTheDocument();
    expect(screen.queryByText(/Showing the/)).not.toBeInTheDocument();

    // New filters start again from the first page.
    pickOption('Cluster', 'east');
    await waitFor(() =>
      expect(api.getSummary).toHaveBeenLastCalledWith(
        { cluster: ['east'] },
        { limit: 2 },
      ),
    );
  });

  it('refreshes on its own until paused', async () => {
    const api = fakeCrossplaneApi({
      getClusters: async () => clusters,
      getSummary: async f => summaryFor(f),
    });
    await renderWithApi(<ControlPlanePage refreshIntervalMs={100} />, api);
    expect(await screen.findByText('Resources (3)')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getSummary.mock.calls.length).toBeGreaterThanOrEqual(3),
    );

    fireEvent.click(screen.getByLabelText('Auto-refresh every 100 ms'));
    const calls = api.getSummary.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(api.getSummary.mock.calls.length).toBeLessThanOrEqual(calls + 1);

    fireEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    await waitFor(() =>
      expect(api.getSummary.mock.calls.length).toBeGreaterThan(calls),
    );
  });

  it('shows backend errors with the response error panel', async () => {
    const error = await responseError(500, 'Error', 'summary index not ready');
    const api = fakeCrossplaneApi({
      getClusters: async () => clusters,
      getSummary: () => Promise.reject(error),
    });
    await renderWithApi(<ControlPlanePage />, api);

    expect(
      await screen.findByText(/Could not load the resources/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/summary index not ready/).length,
    ).toBeGreaterThan(0);
    // The clusters still show.
    expect(screen.getByTestId('cluster-tile-east')).toBeInTheDocument();
  });

  it('says "not allowed" on 403', async () => {
    const error = await responseError(403, 'NotAllowedError', 'denied');
    const api = fakeCrossplaneApi({
      getClusters: () => Promise.reject(error),
      getSummary: () => Promise.reject(error),
    });
    await renderWithApi(<ControlPlanePage />, api);

    expect((await screen.findAllByText(/not allowed/i)).length).toBeGreaterThan(
      0,
    );
  });
});
