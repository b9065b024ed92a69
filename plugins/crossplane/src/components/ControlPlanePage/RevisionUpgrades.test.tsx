import { fireEvent, screen, within } from '@testing-library/react';
import { fakeCrossplaneApi, renderWithApi } from '../../__testUtils__/testing';
import { CrossplaneRevisionLag } from '../../api/types';
import { RevisionUpgrades } from './RevisionUpgrades';

function lag(name: string): CrossplaneRevisionLag {
  return {
    object: {
      cluster: 'east',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      name,
    },
    objectClass: 'composite',
    composition: 'postgres-aws',
    currentRevision: 'postgres-aws-1a2b3c4',
    latestRevision: 'postgres-aws-5d6e7f8',
    health: { status: 'Healthy' },
  };
}

const button = (name: string) =>
  screen.findByRole('button', { name }) as Promise<HTMLButtonElement>;

jest.setTimeout(20_000);

describe('RevisionUpgrades', () => {
  it('upgrades the selected resources in the table order and shows what each did', async () => {
    const lags = [lag('orders'), lag('billing'), lag('search')];
    const api = fakeCrossplaneApi({
      getUpgrades: async () => lags,
      upgrade: async ({ objects }) => [
        {
          object: objects[0],
          from: 'postgres-aws-1a2b3c4',
          to: 'postgres-aws-5d6e7f8',
          outcome: 'upgraded',
        },
        {
          object: objects[1],
          from: 'postgres-aws-1a2b3c4',
          to: 'postgres-aws-5d6e7f8',
          outcome: 'unhealthy',
          message: 'Ready=False after 120 s',
        },
      ],
    });
    await renderWithApi(<RevisionUpgrades clusters={['east']} />, api);

    const table = await screen.findByTestId('revision-upgrades');
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    const upgrade = await button('Upgrade selected');
    expect(upgrade).toBeDisabled();

    // Selected out of order: sent in the order of the table.
    fireEvent.click(
      screen.getByLabelText('Select XPostgreSQLInstance search (east)'),
    );
    fireEvent.click(
      screen.getByLabelText('Select XPostgreSQLInstance orders (east)'),
    );
    expect(upgrade).toBeEnabled();
    fireEvent.click(upgrade);

    const steps = await screen.findByTestId('upgrade-steps');
    expect(api.upgrade).toHaveBeenCalledWith({
      objects: [lags[0].object, lags[2].object],
    });
    expect(screen.getByTestId('upgrade-outcome-orders')).toHaveTextContent(
      'upgraded',
    );
    expect(screen.getByTestId('upgrade-outcome-search')).toHaveTextContent(
      'unhealthy (stopped here)',
    );
    expect(steps).toHaveTextContent('Ready=False after 120 s');
    expect(steps).toHaveTextContent(
      'postgres-aws-1a2b3c4 → postgres-aws-5d6e7f8',
    );
    // Of the page's clusters, read again to show what is still behind.
    expect(api.getUpgrades).toHaveBeenCalledTimes(2);
    expect(api.getUpgrades).toHaveBeenLastCalledWith({ cluster: ['east'] });
  });

  it('names every outcome', async () => {
    const [a, b, c] = [lag('a'), lag('b'), lag('c')];
    const api = fakeCrossplaneApi({
      getUpgrades: async () => [a, b, c],
      upgrade: async () => [
        { object: a.object, outcome: 'refused', message: 'not allowed' },
        { object: b.object, outcome: 'failed', message: 'conflict' },
        { object: c.object, outcome: 'not-run' },
      ],
    });
    await renderWithApi(<RevisionUpgrades />, api);
    fireEvent.click(await screen.findByLabelText('Select all'));
    fireEvent.click(await button('Upgrade selected'));

    await screen.findByTestId('upgrade-steps');
    expect(screen.getByTestId('upgrade-outcome-a')).toHaveTextContent(
      'refused',
    );
    expect(screen.getByTestId('upgrade-outcome-b')).toHaveTextContent('failed');
    expect(screen.getByTestId('upgrade-outcome-c')).toHaveTextContent(
      'not run',
    );
  });

  it('says when nothing is behind', async () => {
    const api = fakeCrossplaneApi({ getUpgrades: async () => [] });
    await renderWithApi(<RevisionUpgrades />, api);
    expect(
      await screen.findByText(/on the latest revision of its Composition/),
    ).toBeInTheDocument();
    expect(await button('Upgrade selected')).toBeDisabled();
  });
});
