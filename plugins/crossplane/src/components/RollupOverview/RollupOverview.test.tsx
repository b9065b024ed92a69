import { screen, within } from '@testing-library/react';
import { EntityRollup } from '../../api/types';
import {
  fakeCrossplaneApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/testing';
import { clusters, summaryFor } from '../../__testUtils__/summaryFixtures';
import { ControlPlanePage } from '../ControlPlanePage';
import { paymentsSystem } from '../RollupCard/rollupFixtures';
import { RollupOverview } from './RollupOverview';

const payments = paymentsSystem;
const analytics: EntityRollup = {
  entityRef: 'system:default/analytics',
  health: {
    status: 'Progressing',
    message: 'Progressing because 1 of 2 pods ready',
  },
  sources: [],
  members: [
    {
      entityRef: 'component:default/analytics-ingest',
      health: { status: 'Progressing' },
    },
  ],
  computedAt: '2026-12-05T10:01:00Z',
};
const teamAlpha: EntityRollup = {
  ...payments,
  entityRef: 'group:default/team-alpha',
};

/** One page holding every roll-up given. */
const pageOf = (items: EntityRollup[]) => ({
  items,
  page: { offset: 0, limit: 20, total: items.length },
});

const linksIn = (testId: string) =>
  within(screen.getByTestId(testId))
    .getAllByTestId('rollup-entity')
    .map(row => within(row).getAllByRole('link')[0].textContent);

describe('RollupOverview', () => {
  it("lists every System's and owner's roll-up worst first, each linking to its entity", async () => {
    const api = fakeCrossplaneApi({
      // Name order, as the backend pages them.
      listRollups: async by =>
        pageOf(by === 'system' ? [analytics, payments] : [teamAlpha]),
    });
    await renderWithApi(<RollupOverview intervalMs={null} />, api);

    expect(await screen.findByText('Systems and teams')).toBeInTheDocument();
    await screen.findByTestId('rollups-by-system');
    expect(linksIn('rollups-by-system')).toEqual(['payments', 'analytics']);
    expect(linksIn('rollups-by-owner')).toEqual(['team-alpha']);
    const [first] = within(
      screen.getByTestId('rollups-by-system'),
    ).getAllByTestId('rollup-entity');
    // Its services per health.
    expect(first).toHaveTextContent(/1 Degraded\s*1 Healthy/);
    expect(first).toHaveTextContent(
      'Degraded because pod payments-api-7d9c-x2k4 CrashLoopBackOff',
    );
    expect(
      within(first).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/system/payments');
    expect(api.listRollups.mock.calls.map(c => c[0]).sort()).toEqual([
      'owner',
      'system',
    ]);
  });

  it('shows one grouping failing without hiding the other', async () => {
    const error = await responseError(500, 'Error', 'catalog unavailable');
    const api = fakeCrossplaneApi({
      listRollups: async by => {
        if (by === 'owner') throw error;
        return pageOf([payments]);
      },
    });
    await renderWithApi(<RollupOverview intervalMs={null} />, api);

    expect(
      (await screen.findAllByText(/catalog unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(linksIn('rollups-by-system')).toEqual(['payments']);
  });

  it('is a section of the control-plane page', async () => {
    const api = fakeCrossplaneApi({
      getClusters: async () => clusters,
      getSummary: async f => summaryFor(f),
      getUpgrades: async () => [],
      listRollups: async by => pageOf(by === 'system' ? [] : [teamAlpha]),
    });
    await renderWithApi(<ControlPlanePage refreshIntervalMs={60_000} />, api);

    expect(await screen.findByText('Systems and teams')).toBeInTheDocument();
    expect(
      await screen.findByText('No system has services to roll up yet.'),
    ).toBeInTheDocument();
    expect(linksIn('rollups-by-owner')).toEqual(['team-alpha']);
    // The whole page renders: slower than one section on a busy machine.
  }, 20_000);
});
