import { screen, within } from '@testing-library/react';
import { EntityRollup } from '../../api/types';
import {
  fakeCrossplaneApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/testing';
import { EntityServiceRollupCard } from './EntityServiceRollupCard';
import {
  degradedService,
  paymentsSystem,
  serviceEntity,
} from './rollupFixtures';

const service = serviceEntity;

function renderCard(rollup: EntityRollup | (() => Promise<EntityRollup>)) {
  const api = fakeCrossplaneApi({
    getRollup: typeof rollup === 'function' ? rollup : async () => rollup,
  });
  return {
    api,
    rendered: renderForEntity(
      <EntityServiceRollupCard refreshIntervalMs={0} />,
      { api, entity: service },
    ),
  };
}

const sectionTitles = () =>
  screen.getAllByRole('heading', { level: 3 }).map(h => h.textContent);

describe('EntityServiceRollupCard', () => {
  it("names the cause of the service's health and asks for the entity's roll-up", async () => {
    const { api, rendered } = renderCard(degradedService);
    await rendered;

    const cause = await screen.findByTestId('rollup-cause');
    expect(cause).toHaveTextContent(
      'Degraded because pod payments-api-7d9c-x2k4 CrashLoopBackOff',
    );
    const health = screen.getByTestId('rollup-health');
    expect(within(health).getByText('Degraded')).toBeInTheDocument();
    expect(
      within(health).getByRole('link', { name: /Pod payments-api-7d9c-x2k4/ }),
    ).toHaveAttribute(
      'href',
      'https://k8s.example.com/pods/payments-api-7d9c-x2k4',
    );
    expect(api.getRollup).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it("shows the sources and their signals in the server's order, with their facts", async () => {
    await renderCard(degradedService).rendered;
    await screen.findByTestId('rollup-cause');

    // The server's order, although Crossplane resources sort before
    // pipeline runs by title and the healthy pod comes second.
    expect(sectionTitles()).toEqual([
      'Workloads',
      'Pipeline runs',
      'Crossplane resources',
    ]);
    const pods = within(screen.getByTestId('rollup-source-workloads'))
      .getAllByTestId('rollup-signal')
      .map(row => row.textContent);
    expect(pods[0]).toContain('Pod payments-api-7d9c-x2k4');
    expect(pods[0]).toMatch(/Degraded\s*CrashLoopBackOff/);
    expect(pods[0]).toContain('ready 0/1');
    expect(pods[0]).toContain('restarts 14');
    expect(pods[0]).toContain('last failure Error');
    expect(pods[1]).toContain('Pod payments-api-7d9c-ab12');

    const run = within(screen.getByTestId('rollup-source-jobs')).getByTestId(
      'rollup-signal',
    );
    expect(run).toHaveTextContent(/Degraded\s*BackoffLimitExceeded/);
    // The run's own time, shown relative to now (so not asserted as text).
    expect(run).toHaveTextContent(/ran \S/);
    expect(
      within(run).getByText((_, e) => e?.tagName === 'TIME'),
    ).toHaveAttribute('dateTime', '2026-12-05T09:00:00Z');

    const db = within(screen.getByTestId('rollup-source-crossplane'));
    expect(
      db.getByRole('link', {
        name: 'PostgreSQLInstance team-alpha/payments-db',
      }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-db');
  });

  it('shows a source that could not answer without hiding the others', async () => {
    const [workloads, jobs, crossplane] = degradedService.sources;
    await renderCard({
      ...degradedService,
      sources: [
        workloads,
        {
          ...jobs,
          health: { status: 'Unknown' },
          signals: [],
          error: 'jobs are forbidden in team-alpha',
        },
        crossplane,
      ],
    }).rendered;

    const failed = await screen.findByTestId('rollup-source-jobs');
    expect(failed).toHaveTextContent(
      'Could not read Pipeline runs: jobs are forbidden in team-alpha',
    );
    expect(within(failed).getByText('Unknown')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('rollup-source-workloads')).getAllByTestId(
        'rollup-signal',
      ),
    ).toHaveLength(2);
    expect(
      within(screen.getByTestId('rollup-source-crossplane')).getByText(
        'PostgreSQLInstance team-alpha/payments-db',
      ),
    ).toBeInTheDocument();
  });

  it('says so when nothing reports on the service', async () => {
    // Every source answers, none knows of anything.
    await renderCard({
      entityRef: 'component:default/payments-api',
      health: {
        status: 'Unknown',
        reason: 'NoSignals',
        message: 'no status source reports on it',
      },
      sources: degradedService.sources.map(source => ({
        ...source,
        health: { status: 'Healthy', reason: 'NoSignals' },
        signals: [],
      })),
      computedAt: '2026-12-05T10:01:00Z',
    }).rendered;

    expect(await screen.findByTestId('rollup-empty')).toHaveTextContent(
      'Nothing reports on this entity yet',
    );
    expect(screen.getByTestId('rollup-cause')).toHaveTextContent(
      'no status source reports on it',
    );
    expect(screen.queryByTestId('rollup-signal')).not.toBeInTheDocument();
  });

  it("lists a System's services worst first, each linking to its entity", async () => {
    await renderCard(paymentsSystem).rendered;

    const rows = within(
      await screen.findByTestId('rollup-members'),
    ).getAllByTestId('rollup-entity');
    expect(
      rows.map(r => within(r).getAllByRole('link')[0].textContent),
    ).toEqual(['payments-api', 'payments-worker']);
    expect(rows[0]).toHaveTextContent(
      'Degraded because pod payments-api-7d9c-x2k4 CrashLoopBackOff',
    );
    expect(screen.queryByTestId('rollup-empty')).not.toBeInTheDocument();
  });

  it('says "not allowed" when the backend refuses', async () => {
    const error = await responseError(403, 'NotAllowedError', 'denied');
    await renderCard(() => Promise.reject(error)).rendered;
    expect(await screen.findByText(/not allowed/i)).toBeInTheDocument();
  });
});
