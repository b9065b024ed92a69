import { fireEvent, screen } from '@testing-library/react';
import {
  claimLocator,
  fakeCrossplaneApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/testing';
import { CrossplaneDeletionImpact } from '../../api/types';
import { DeleteDialog } from './DeleteDialog';

const locator = claimLocator;

const impact: CrossplaneDeletionImpact = {
  object: locator,
  items: [
    {
      object: {
        apiVersion: locator.apiVersion,
        kind: locator.kind,
        namespace: 'team-a',
        name: 'orders-db',
      },
      objectClass: 'claim',
    },
    {
      object: {
        apiVersion: 'rds.aws.m.upbound.io/v1beta1',
        kind: 'Instance',
        namespace: 'team-a',
        name: 'orders-db-main',
      },
      objectClass: 'managed',
      deletionPolicy: 'Delete',
      managementPolicies: ['*'],
      fate: 'deleted',
    },
    {
      object: {
        apiVersion: 's3.aws.m.upbound.io/v1beta1',
        kind: 'Bucket',
        namespace: 'team-a',
        name: 'orders-db-backups',
      },
      objectClass: 'managed',
      deletionPolicy: 'Orphan',
      managementPolicies: ['Observe', 'Create', 'Update'],
      fate: 'orphaned',
    },
  ],
  usages: [
    {
      usage: {
        apiVersion: 'protection.crossplane.io/v1beta1',
        kind: 'Usage',
        namespace: 'team-a',
        name: 'orders-uses-db',
      },
      of: {
        apiVersion: 'rds.aws.m.upbound.io/v1beta1',
        kind: 'Instance',
        namespace: 'team-a',
        name: 'orders-db-main',
      },
      by: {
        apiVersion: 'example.org/v1',
        kind: 'App',
        namespace: 'team-a',
        name: 'orders',
      },
      reason: 'the orders app stores its data here',
    },
  ],
  connectionSecrets: [{ namespace: 'team-a', name: 'orders-db-conn' }],
  dependents: ['component:default/orders'],
  deleting: false,
};

function renderDialog(
  api: ReturnType<typeof fakeCrossplaneApi>,
  onDeleted = jest.fn(),
) {
  return renderWithApi(
    <DeleteDialog
      locator={locator}
      open
      onClose={jest.fn()}
      onDeleted={onDeleted}
      pollIntervalMs={20}
    />,
    api,
  );
}

const button = (name: string) =>
  screen.findByRole('button', { name }) as Promise<HTMLButtonElement>;

jest.setTimeout(20_000);

describe('DeleteDialog', () => {
  it('shows what goes and what is kept, and deletes only once the name is typed, then follows it until gone', async () => {
    let reads = 0;
    const api = fakeCrossplaneApi({
      getDeletionImpact: async () => {
        reads += 1;
        if (reads === 1) return impact;
        if (reads === 2) {
          return {
            ...impact,
            items: impact.items.slice(0, 2).map(item => ({
              ...item,
              deletionTimestamp: new Date().toISOString(),
              finalizers: ['finalizer.managedresource.crossplane.io'],
            })),
            deleting: true,
            heldBy: ['Usage team-a/orders-uses-db'],
          };
        }
        throw await responseError(404, 'NotFoundError', 'not found');
      },
      deleteObject: async () => ({ ...impact, deleting: true }),
      getDeletionProgress: async objects => ({
        items: objects.map(object => ({ object, gone: true })),
        deleting: false,
        heldBy: [],
      }),
    });
    const onDeleted = jest.fn();
    await renderDialog(api, onDeleted);

    const fates = await screen.findAllByTestId('deletion-fate');
    expect(fates.map(f => f.textContent)).toEqual([
      'deleted with it',
      'external resource deleted',
      'kept in the provider',
    ]);
    expect(screen.getByTestId('deletion-usages')).toHaveTextContent(
      'Instance team-a/orders-db-main is used by App team-a/orders (Usage team-a/orders-uses-db: the orders app stores its data here)',
    );
    expect(screen.getByTestId('deletion-secrets')).toHaveTextContent(
      'team-a/orders-db-conn',
    );
    expect(screen.getByTestId('deletion-dependents')).toHaveTextContent(
      'component:default/orders',
    );

    const remove = await button('Confirm delete');
    expect(remove).toBeDisabled();
    const confirm = screen.getByLabelText('Confirm name');
    fireEvent.change(confirm, { target: { value: 'orders' } });
    expect(remove).toBeDisabled();
    fireEvent.change(confirm, { target: { value: 'orders-db' } });
    expect(remove).toBeEnabled();
    fireEvent.click(remove);

    expect(await screen.findByTestId('deletion-held-by')).toHaveTextContent(
      'Held by: Usage team-a/orders-uses-db',
    );
    expect(api.deleteObject).toHaveBeenCalledWith({
      ...locator,
      confirm: 'orders-db',
    });
    expect(await screen.findByTestId('deletion-done')).toHaveTextContent(
      'PostgreSQLInstance orders-db is gone.',
    );
    expect(onDeleted).not.toHaveBeenCalled();
    fireEvent.click(await button('Close delete'));
    expect(onDeleted).toHaveBeenCalledTimes(1);
  });

  it('once the object is gone, follows what it took with it until the last is gone, and says when that cannot be read', async () => {
    const [main, backups] = impact.items
      .slice(1)
      .map(item => ({ cluster: locator.cluster, ...item.object }));
    const finalizer = 'finalizer.managedresource.crossplane.io';
    let stage: 'unreadable' | 'stuck' | 'gone' = 'unreadable';
    const api = fakeCrossplaneApi({
      getDeletionImpact: jest
        .fn()
        .mockResolvedValueOnce(impact)
        .mockRejectedValue(
          await responseError(404, 'NotFoundError', 'not found'),
        ),
      deleteObject: async () => ({ ...impact, deleting: true }),
      getDeletionProgress: async objects => {
        if (stage === 'unreadable') {
          throw await responseError(
            503,
            'ServiceUnavailableError',
            'cluster east: connection refused',
          );
        }
        if (stage === 'gone') {
          return {
            items: objects.map(object => ({ object, gone: true })),
            deleting: false,
            heldBy: [],
          };
        }
        return {
          items: [
            {
              object: main,
              gone: false,
              item: {
                ...impact.items[1],
                deletionTimestamp: new Date().toISOString(),
                finalizers: [finalizer],
              },
            },
            { object: backups, gone: true },
          ],
          deleting: true,
          heldBy: [
            `Instance team-a/orders-db-main: finalizer ${finalizer}`,
            'Usage team-a/orders-uses-db: Instance team-a/orders-db-main is in use by App team-a/orders',
          ],
        };
      },
    });
    const onDeleted = jest.fn();
    await renderDialog(api, onDeleted);
    fireEvent.change(await screen.findByLabelText('Confirm name'), {
      target: { value: 'orders-db' },
    });
    fireEvent.click(await button('Confirm delete'));

    // The progress cannot be read: said so, the object still said gone.
    expect(
      await screen.findByTestId('deletion-progress-failure'),
    ).toHaveTextContent(
      'Could not read the progress of the composed objects: cluster east: connection refused',
    );
    expect(screen.getByTestId('deletion-progress')).toHaveTextContent(
      'PostgreSQLInstance orders-db is gone; following the 2 composed object(s) it took with it',
    );
    expect(screen.queryByTestId('deletion-done')).toBeNull();
    expect(api.getDeletionProgress).toHaveBeenCalledWith([main, backups]);

    stage = 'stuck';
    expect(await screen.findByTestId('deletion-held-by')).toHaveTextContent(
      `Held by: Instance team-a/orders-db-main: finalizer ${finalizer}; Usage team-a/orders-uses-db: Instance team-a/orders-db-main is in use by App team-a/orders`,
    );
    expect(screen.getByTestId('deletion-progress')).toHaveTextContent(
      'PostgreSQLInstance orders-db is gone; 1 composed object(s) are still being deleted:',
    );
    const left = screen.getByTestId('deletion-items');
    expect(left).toHaveTextContent(
      `Instance team-a/orders-db-mainbeing deleted since`,
    );
    expect(left).toHaveTextContent(`finalizers: ${finalizer}`);
    expect(left).not.toHaveTextContent('orders-db-backups');
    expect(screen.queryByTestId('deletion-progress-failure')).toBeNull();
    expect(screen.queryByTestId('deletion-done')).toBeNull();

    stage = 'gone';
    expect(await screen.findByTestId('deletion-done')).toHaveTextContent(
      'PostgreSQLInstance orders-db is gone.',
    );
    expect(screen.queryByTestId('deletion-unfollowed')).toBeNull();
    expect(onDeleted).not.toHaveBeenCalled();
    fireEvent.click(await button('Close delete'));
    expect(onDeleted).toHaveBeenCalledTimes(1);
  });

  it('says how many objects it took with it cannot be followed, and never calls them gone', async () => {
    const [main, backups] = impact.items
      .slice(1)
      .map(item => ({ cluster: locator.cluster, ...item.object }));
    let stage: 'deleting' | 'done' = 'deleting';
    const api = fakeCrossplaneApi({
      getDeletionImpact: jest
        .fn()
        .mockResolvedValueOnce(impact)
        .mockRejectedValue(
          await responseError(404, 'NotFoundError', 'not found'),
        ),
      deleteObject: async () => ({ ...impact, deleting: true }),
      getDeletionProgress: async () => ({
        items: [
          stage === 'deleting'
            ? {
                object: main,
                gone: false,
                item: {
                  ...impact.items[1],
                  deletionTimestamp: new Date().toISOString(),
                },
              }
            : { object: main, gone: true },
          { object: backups, gone: false, hidden: true },
        ],
        deleting: stage === 'deleting',
        heldBy: [],
      }),
    });
    await renderDialog(api);
    fireEvent.change(await screen.findByLabelText('Confirm name'), {
      target: { value: 'orders-db' },
    });
    fireEvent.click(await button('Confirm delete'));

    expect(await screen.findByTestId('deletion-unfollowed')).toHaveTextContent(
      '1 composed object(s) it took with it cannot be followed: your permissions do not let you read them.',
    );
    expect(screen.getByTestId('deletion-progress')).toHaveTextContent(
      'PostgreSQLInstance orders-db is gone; 1 composed object(s) are still being deleted:',
    );
    expect(screen.getByTestId('deletion-items')).not.toHaveTextContent(
      'orders-db-backups',
    );

    stage = 'done';
    expect(await screen.findByTestId('deletion-done')).toHaveTextContent(
      'PostgreSQLInstance orders-db is gone.',
    );
    expect(screen.getByTestId('deletion-unfollowed')).toHaveTextContent(
      '1 composed object(s) it took with it cannot be followed',
    );
  });

  it('offers no delete for an object another GitOps tool delivers', async () => {
    const api = fakeCrossplaneApi({
      getDeletionImpact: async () => ({
        ...impact,
        gitOps: {
          tool: 'argocd',
          description: 'Argo CD application payments',
        },
      }),
    });
    await renderDialog(api);

    expect(await screen.findByTestId('gitops-notice')).toHaveTextContent(
      'Delivered through Git by Argo CD application payments: it is not deleted here. The change must go through its Git repository.',
    );
    expect(screen.queryByRole('button', { name: 'Confirm delete' })).toBeNull();
    expect(screen.queryByLabelText('Confirm name')).toBeNull();
  });

  it('opens a pull request removing the file of an object PlatformOps delivers', async () => {
    const gitOps = {
      tool: 'platformops' as const,
      description:
        'pull request delivery from github.com?owner=acme&repo=infra',
      repoUrl: 'https://github.com/acme/infra',
      path: 'team-a/orders-db.yaml',
    };
    const api = fakeCrossplaneApi({
      getDeletionImpact: async () => ({ ...impact, gitOps }),
      deleteObject: async () => ({
        ...impact,
        gitOps,
        pullRequest: {
          url: 'https://github.com/acme/infra/pull/7',
          number: 7,
          branch: 'platformops/delete-orders-db',
        },
      }),
    });
    await renderDialog(api);

    const notice = await screen.findByTestId('gitops-notice');
    expect(notice).toHaveTextContent(
      'it is deleted by a pull request on https://github.com/acme/infra (team-a/orders-db.yaml), not in the cluster.',
    );
    expect(notice.querySelector('a')).toHaveAttribute(
      'href',
      'https://github.com/acme/infra',
    );
    expect(screen.queryByRole('button', { name: 'Confirm delete' })).toBeNull();
    expect(await button('Open pull request')).toBeDisabled();
    fireEvent.change(await screen.findByLabelText('Confirm name'), {
      target: { value: 'orders-db' },
    });
    fireEvent.click(await button('Open pull request'));

    const opened = await screen.findByTestId('pull-request-opened');
    expect(opened).toHaveTextContent(
      'Pull request #7 opened: the cluster changes once it is merged and synced.',
    );
    expect(opened.querySelector('a')).toHaveAttribute(
      'href',
      'https://github.com/acme/infra/pull/7',
    );
    expect(api.deleteObject).toHaveBeenCalledWith({
      ...locator,
      confirm: 'orders-db',
    });
    expect(screen.queryByTestId('deletion-progress')).toBeNull();
  });

  it('says why the delete was refused', async () => {
    const api = fakeCrossplaneApi({
      getDeletionImpact: async () => impact,
      deleteObject: async () => {
        throw await responseError(
          400,
          'InputError',
          'confirm: must equal the name of the object',
        );
      },
    });
    await renderDialog(api);
    fireEvent.change(await screen.findByLabelText('Confirm name'), {
      target: { value: 'orders-db' },
    });
    fireEvent.click(await button('Confirm delete'));
    expect(
      await screen.findByText(
        'Delete failed: confirm: must equal the name of the object',
      ),
    ).toBeInTheDocument();
  });
});
