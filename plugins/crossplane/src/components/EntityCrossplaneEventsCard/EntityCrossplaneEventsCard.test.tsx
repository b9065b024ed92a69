import { fireEvent, screen, within } from '@testing-library/react';
import { CrossplaneEvent } from '../../api/types';
import {
  fakeCrossplaneApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/testing';
import { EntityCrossplaneEventsCard } from './EntityCrossplaneEventsCard';
import { sortEvents } from './sortEvents';

const events: CrossplaneEvent[] = [
  {
    involvedObject: { kind: 'XPostgreSQLInstance', name: 'orders-db-8fk2p' },
    type: 'Normal',
    reason: 'ComposeResources',
    message: 'Successfully composed resources',
    count: 3,
    lastTimestamp: '2026-01-10T10:05:00Z',
  },
  {
    involvedObject: { kind: 'Instance', name: 'orders-db-8fk2p-rds' },
    type: 'Warning',
    reason: 'CannotCreateExternalResource',
    message: 'InvalidParameterValue: invalid DB instance class',
    count: 12,
    lastTimestamp: '2026-01-10T10:00:00Z',
  },
  {
    involvedObject: {
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
    },
    type: 'Normal',
    reason: 'ConfigureCompositeResource',
    message: 'Successfully applied composite resource',
    lastTimestamp: '2026-01-10T09:00:00Z',
  },
];

describe('sortEvents', () => {
  it('puts warnings first, then newest first', () => {
    expect(sortEvents(events).map(e => e.reason)).toEqual([
      'CannotCreateExternalResource',
      'ComposeResources',
      'ConfigureCompositeResource',
    ]);
  });
});

describe('EntityCrossplaneEventsCard', () => {
  it('lists the events of the tree, warnings first', async () => {
    const api = fakeCrossplaneApi({ getEvents: async () => events });
    await renderForEntity(<EntityCrossplaneEventsCard />, { api });

    expect(
      await screen.findByText(
        'InvalidParameterValue: invalid DB instance class',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('1 warning, 3 events in the resource tree'),
    ).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByText('Warning')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('Instance orders-db-8fk2p-rds'),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText('12')).toBeInTheDocument();
    expect(
      within(rows[2]).getByText('PostgreSQLInstance team-a/orders-db'),
    ).toBeInTheDocument();
    expect(api.getEvents).toHaveBeenCalledWith(
      expect.objectContaining({ cluster: 'east', name: 'orders-db' }),
      { tree: true },
    );
  });

  it('can show only the warnings', async () => {
    const api = fakeCrossplaneApi({ getEvents: async () => events });
    await renderForEntity(<EntityCrossplaneEventsCard />, { api });

    fireEvent.click(await screen.findByLabelText('Warnings only'));
    expect(screen.getAllByRole('row').slice(1)).toHaveLength(1);
    expect(
      screen.queryByText('Successfully composed resources'),
    ).not.toBeInTheDocument();
  });

  it('shows backend errors', async () => {
    const error = await responseError(500, 'Error', 'watch of east failed');
    const api = fakeCrossplaneApi({ getEvents: () => Promise.reject(error) });
    await renderForEntity(<EntityCrossplaneEventsCard />, { api });
    expect(
      (await screen.findAllByText(/watch of east failed/)).length,
    ).toBeGreaterThan(0);
  });

  it('says "not allowed" on 403', async () => {
    const error = await responseError(403, 'NotAllowedError', 'denied');
    const api = fakeCrossplaneApi({ getEvents: () => Promise.reject(error) });
    await renderForEntity(<EntityCrossplaneEventsCard />, { api });
    expect(await screen.findByText(/not allowed/i)).toBeInTheDocument();
  });
});
