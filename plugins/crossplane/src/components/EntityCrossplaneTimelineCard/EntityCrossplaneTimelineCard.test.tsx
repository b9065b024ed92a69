import { screen, within } from '@testing-library/react';
import {
  fakeCrossplaneApi,
  renderForEntity,
} from '../../__testUtils__/testing';
import { CrossplaneTimelineEntry } from '../../api/types';
import { EntityCrossplaneTimelineCard } from './EntityCrossplaneTimelineCard';

const minutesAgo = (n: number) =>
  new Date(Date.now() - n * 60_000).toISOString();

const entries: CrossplaneTimelineEntry[] = [
  {
    time: minutesAgo(30),
    source: 'field-manager',
    actor: 'argocd-controller',
    summary: 'wrote spec.parameters.version',
  },
  {
    time: minutesAgo(2),
    source: 'audit',
    actor: 'user:default/alice',
    summary: 'paused',
    outcome: 'succeeded',
  },
  {
    time: minutesAgo(10),
    source: 'event',
    actor: 'claim-controller',
    summary: 'cannot compose resources: quota exceeded',
    outcome: 'Warning',
  },
];

describe('EntityCrossplaneTimelineCard', () => {
  it('lists audit records, events and field managers newest first, each with its source', async () => {
    const api = fakeCrossplaneApi({ getTimeline: async () => entries });
    await renderForEntity(<EntityCrossplaneTimelineCard />, { api });

    const timeline = await screen.findByTestId('crossplane-timeline');
    await within(timeline).findByText('paused');
    const rows = within(timeline)
      .getAllByRole('row')
      .slice(1)
      .map(row => row.textContent);
    expect(rows).toEqual([
      expect.stringContaining('Portaluser:default/alicepausedsucceeded'),
      expect.stringContaining(
        'Eventclaim-controllercannot compose resources: quota exceededWarning',
      ),
      expect.stringContaining(
        'Field managerargocd-controllerwrote spec.parameters.version',
      ),
    ]);
    expect(screen.getByTestId('timeline-source-audit')).toBeInTheDocument();
    expect(screen.getByTestId('timeline-source-event')).toBeInTheDocument();
    expect(
      screen.getByTestId('timeline-source-field-manager'),
    ).toBeInTheDocument();
    expect(api.getTimeline).toHaveBeenCalledWith({
      cluster: 'east',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
    });
  });

  it('says when nothing was recorded', async () => {
    const api = fakeCrossplaneApi({ getTimeline: async () => [] });
    await renderForEntity(<EntityCrossplaneTimelineCard />, { api });
    expect(
      await screen.findByText('Nothing recorded yet.'),
    ).toBeInTheDocument();
  });
});
