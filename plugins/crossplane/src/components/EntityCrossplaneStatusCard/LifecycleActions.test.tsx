import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  claimLocator,
  fakeCrossplaneApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/testing';
import {
  CrossplaneDay2Capabilities,
  CrossplaneLifecycleResult,
  CrossplaneTreeNode,
} from '../../api/types';
import { EntityCrossplaneStatusCard } from './EntityCrossplaneStatusCard';
import { describeOutcome, RECONCILE_WAIT_SECONDS } from './LifecycleActions';

const locator = claimLocator;

const healthy: CrossplaneTreeNode = {
  ref: {
    apiVersion: locator.apiVersion,
    kind: locator.kind,
    namespace: locator.namespace,
    name: locator.name,
  },
  objectClass: 'claim',
  health: { status: 'Healthy', reason: 'Available' },
  rolledUpHealth: { status: 'Healthy' },
  conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
  children: [],
};

const paused: CrossplaneTreeNode = {
  ...healthy,
  health: {
    status: 'Paused',
    reason: 'ReconcilePaused',
    message: 'reconciliation is paused by the crossplane.io/paused annotation',
  },
  rolledUpHealth: { status: 'Paused' },
};

const allowed: CrossplaneDay2Capabilities = {
  pause: { allowed: true },
  resume: { allowed: false, reason: 'not paused' },
  reconcile: { allowed: true },
  edit: { allowed: true },
  delete: { allowed: true },
  upgrade: { allowed: true },
};

const requestedAt = '2026-12-05T10:41:00.000Z';
const at = new Date(requestedAt).toLocaleTimeString([], {
  hour: '2-digit',
  minute: '2-digit',
});

function result(
  overrides: Partial<CrossplaneLifecycleResult>,
): CrossplaneLifecycleResult {
  return {
    operation: 'pause',
    dryRun: false,
    objects: [healthy.ref as CrossplaneLifecycleResult['objects'][number]],
    requestedAt,
    paused: false,
    ...overrides,
  };
}

const button = (name: string) =>
  screen.findByRole('button', { name }) as Promise<HTMLButtonElement>;

// Each test renders the card, then a second state of it.
jest.setTimeout(20_000);

describe('EntityCrossplaneStatusCard lifecycle actions', () => {
  it('pauses after a confirmation, then shows the outcome and the new state', async () => {
    let tree = healthy;
    const api = fakeCrossplaneApi({
      getTree: async () => tree,
      getCapabilities: async () => allowed,
      runLifecycleOperation: async () => {
        tree = paused;
        return result({ operation: 'pause', paused: true });
      },
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    const pause = await button('Pause');
    await waitFor(() => expect(pause).toBeEnabled());
    fireEvent.click(pause);
    expect(
      await screen.findByText('Pause PostgreSQLInstance orders-db?'),
    ).toBeInTheDocument();
    expect(api.runLifecycleOperation).not.toHaveBeenCalled();
    fireEvent.click(
      screen.getAllByRole('button', { name: 'Pause' }).slice(-1)[0],
    );

    expect(await screen.findByText(`Paused at ${at}`)).toBeInTheDocument();
    expect(api.runLifecycleOperation).toHaveBeenCalledWith(
      'pause',
      locator,
      {},
    );
    expect(await screen.findByText('Paused')).toBeInTheDocument();
    expect(await button('Resume')).toBeInTheDocument();
    expect(api.getTree).toHaveBeenCalledTimes(2);
  });

  it('does nothing when the pause is cancelled', async () => {
    const api = fakeCrossplaneApi({
      getTree: async () => healthy,
      getCapabilities: async () => allowed,
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    const pause = await button('Pause');
    await waitFor(() => expect(pause).toBeEnabled());
    fireEvent.click(pause);
    fireEvent.click(await button('Cancel'));
    await waitFor(() =>
      expect(
        screen.queryByText('Pause PostgreSQLInstance orders-db?'),
      ).not.toBeInTheDocument(),
    );
    expect(api.runLifecycleOperation).not.toHaveBeenCalled();
  });

  it('resumes a paused object at once', async () => {
    const api = fakeCrossplaneApi({
      getTree: async () => paused,
      getCapabilities: async () => ({
        ...allowed,
        pause: { allowed: false, reason: 'already paused' },
        resume: { allowed: true },
        reconcile: { allowed: false, reason: 'paused: resume it first' },
      }),
      runLifecycleOperation: async () => result({ operation: 'resume' }),
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    expect(await screen.findByText('Paused')).toBeInTheDocument();
    expect(screen.getByText('ReconcilePaused')).toBeInTheDocument();
    expect(
      screen.getByText(
        'reconciliation is paused by the crossplane.io/paused annotation',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    const reconcile = await button('Reconcile now');
    const resume = await button('Resume');
    await waitFor(() => expect(resume).toBeEnabled());
    expect(reconcile).toBeDisabled();
    fireEvent.click(resume);

    expect(await screen.findByText(`Resumed at ${at}`)).toBeInTheDocument();
    expect(api.runLifecycleOperation).toHaveBeenCalledWith(
      'resume',
      locator,
      {},
    );
  });

  it('reconciles now with a short wait and shows the conditions after', async () => {
    const api = fakeCrossplaneApi({
      getTree: async () => healthy,
      getCapabilities: async () => allowed,
      runLifecycleOperation: async () =>
        result({
          operation: 'reconcile',
          reconcile: {
            observed: true,
            conditionsChanged: false,
            conditions: [
              { type: 'Synced', status: 'True' },
              { type: 'Ready', status: 'True' },
            ],
            waitedMs: 2300,
          },
        }),
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    const reconcile = await button('Reconcile now');
    await waitFor(() => expect(reconcile).toBeEnabled());
    fireEvent.click(reconcile);

    expect(
      await screen.findByText(`Reconciled: Synced=True, Ready=True at ${at}`),
    ).toBeInTheDocument();
    expect(api.runLifecycleOperation).toHaveBeenCalledWith(
      'reconcile',
      locator,
      { waitSeconds: RECONCILE_WAIT_SECONDS },
    );
    expect(RECONCILE_WAIT_SECONDS).toBeLessThanOrEqual(15);
  });

  it('disables what the user may not do, with the reason as a tooltip', async () => {
    const reason =
      'your permissions do not allow crossplane.resource.pause on this object';
    const api = fakeCrossplaneApi({
      getTree: async () => healthy,
      getCapabilities: async () => ({
        pause: { allowed: false, reason },
        resume: { allowed: false, reason },
        reconcile: {
          allowed: false,
          reason:
            'your permissions do not allow crossplane.resource.reconcile on this object',
        },
        edit: {
          allowed: false,
          reason:
            'your permissions do not allow crossplane.resource.update on this object',
        },
        delete: {
          allowed: false,
          reason: 'delivered by Argo CD application payments',
        },
        upgrade: { allowed: false, reason },
      }),
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    await waitFor(() => expect(api.getCapabilities).toHaveBeenCalled());
    const pause = await button('Pause');
    const reconcile = await button('Reconcile now');
    expect(pause).toBeDisabled();
    expect(reconcile).toBeDisabled();
    fireEvent.mouseOver(pause.parentElement!);
    expect(await screen.findByText(reason)).toBeInTheDocument();

    // Edit and Delete are refused the same way, each with its own reason.
    const edit = await button('Edit');
    const remove = await button('Delete');
    expect(edit).toBeDisabled();
    expect(remove).toBeDisabled();
    fireEvent.mouseOver(remove.parentElement!);
    expect(
      await screen.findByText('delivered by Argo CD application payments'),
    ).toBeInTheDocument();
    fireEvent.mouseOver(edit.parentElement!);
    expect(
      await screen.findByText(
        'your permissions do not allow crossplane.resource.update on this object',
      ),
    ).toBeInTheDocument();
  });

  it('opens the edit and delete dialogs of the object when allowed', async () => {
    const api = fakeCrossplaneApi({
      getTree: async () => healthy,
      getCapabilities: async () => allowed,
      getEditForm: async () => ({
        object: locator,
        steps: [],
        values: {},
        fieldOwners: [],
      }),
      getDeletionImpact: async () => ({
        object: locator,
        items: [],
        usages: [],
        connectionSecrets: [],
        dependents: [],
        deleting: false,
      }),
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    const edit = await button('Edit');
    await waitFor(() => expect(edit).toBeEnabled());
    fireEvent.click(edit);
    expect(
      await screen.findByText('Edit PostgreSQLInstance orders-db'),
    ).toBeInTheDocument();
    expect(api.getEditForm).toHaveBeenCalledWith(locator);
    fireEvent.click(await button('Close edit'));

    fireEvent.click(await button('Delete'));
    expect(
      await screen.findByText('Delete PostgreSQLInstance orders-db?'),
    ).toBeInTheDocument();
    expect(api.getDeletionImpact).toHaveBeenCalledWith(locator);
    expect(api.deleteObject).not.toHaveBeenCalled();
  });

  it('shows why an operation failed', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'crossplane.resource.reconcile: not allowed for PostgreSQLInstance team-a/orders-db',
    );
    const api = fakeCrossplaneApi({
      getTree: async () => healthy,
      getCapabilities: async () => allowed,
      runLifecycleOperation: async () => Promise.reject(error),
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    const reconcile = await button('Reconcile now');
    await waitFor(() => expect(reconcile).toBeEnabled());
    fireEvent.click(reconcile);

    expect(
      await screen.findByText(/Reconcile now failed: .*not allowed/),
    ).toBeInTheDocument();
  });

  it('keeps the buttons disabled when the capabilities cannot be read', async () => {
    const api = fakeCrossplaneApi({
      getTree: async () => healthy,
      getCapabilities: async () => {
        throw new Error('backend unreachable');
      },
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    const pause = await button('Pause');
    await waitFor(() => expect(api.getCapabilities).toHaveBeenCalled());
    expect(pause).toBeDisabled();
    fireEvent.mouseOver(pause.parentElement!);
    expect(
      await screen.findByText(
        'could not check your permissions: backend unreachable',
      ),
    ).toBeInTheDocument();
  });
});

describe('describeOutcome', () => {
  it('says when a reconcile saw no change and what was not annotated', () => {
    expect(
      describeOutcome(
        result({
          operation: 'reconcile',
          skipped: [
            {
              object: { apiVersion: 'x/v1', kind: 'NopResource', name: 'n' },
              reason: 'forbidden',
            },
          ],
          reconcile: {
            observed: false,
            conditionsChanged: false,
            conditions: [{ type: 'Ready', status: 'True' }],
            waitedMs: 10_000,
          },
        }),
      ),
    ).toBe(
      `Reconcile requested, no change seen yet: Ready=True at ${at} (1 managed resource(s) not annotated: the portal may not write them)`,
    );
  });
});
