import { screen } from '@testing-library/react';
import {
  claimEntity,
  fakeCrossplaneApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/testing';
import { EntityCrossplaneStatusCard } from './EntityCrossplaneStatusCard';
import { CrossplaneTreeNode } from '../../api/types';

const root: CrossplaneTreeNode = {
  ref: {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    namespace: 'team-a',
    name: 'orders-db',
  },
  objectClass: 'claim',
  health: {
    status: 'Degraded',
    reason: 'ReconcileError',
    message: 'cannot compose resources: quota exceeded',
    since: new Date(Date.now() - 5 * 60_000).toISOString(),
  },
  rolledUpHealth: { status: 'Degraded', reason: 'ReconcileError' },
  conditions: [
    {
      type: 'Synced',
      status: 'False',
      reason: 'ReconcileError',
      message: 'cannot compose resources: quota exceeded',
    },
    { type: 'Ready', status: 'False', reason: 'Creating' },
  ],
  children: [],
};

const refused = { allowed: false, reason: 'not allowed' };
const getCapabilities = async () => ({
  pause: refused,
  resume: refused,
  reconcile: refused,
  edit: refused,
  delete: refused,
  upgrade: refused,
});

describe('EntityCrossplaneStatusCard', () => {
  it('shows health, reason, message, since and the conditions', async () => {
    const api = fakeCrossplaneApi({
      getTree: async () => root,
      getCapabilities,
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    expect(await screen.findByText('Degraded')).toBeInTheDocument();
    expect(screen.getAllByText('ReconcileError').length).toBeGreaterThan(0);
    expect(
      screen.getAllByText('cannot compose resources: quota exceeded').length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('5 minutes ago')).toBeInTheDocument();
    const conditions = screen.getByText('Conditions').closest('div')!;
    expect(conditions).toBeTruthy();
    expect(screen.getByText('Synced')).toBeInTheDocument();
    expect(screen.getByText('Creating')).toBeInTheDocument();
    expect(api.getTree).toHaveBeenCalledWith({
      cluster: 'east',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
    });
  });

  it('shows the culprit when the resources are worse than the object', async () => {
    const api = fakeCrossplaneApi({
      getCapabilities,
      getTree: async () => ({
        ...root,
        health: { status: 'Healthy' },
        rolledUpHealth: {
          status: 'Degraded',
          message: 'bucket name already taken',
        },
        culpritPath: [root.ref, { kind: 'Bucket', name: 'orders-db-x7k' }],
        conditions: [],
      }),
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(screen.getByText('Degraded')).toBeInTheDocument();
    expect(screen.getByText('Bucket orders-db-x7k')).toBeInTheDocument();
    expect(screen.getByText('bucket name already taken')).toBeInTheDocument();
    expect(screen.getByText('No conditions reported.')).toBeInTheDocument();
  });

  it('shows backend errors with the response error panel', async () => {
    const error = await responseError(
      500,
      'Error',
      'cluster east is unreachable',
    );
    const api = fakeCrossplaneApi({
      getTree: async () => Promise.reject(error),
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    expect(
      (await screen.findAllByText(/cluster east is unreachable/)).length,
    ).toBeGreaterThan(0);
  });

  it('says "not allowed" on 403', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'not allowed: crossplane.read',
    );
    const api = fakeCrossplaneApi({
      getTree: async () => Promise.reject(error),
    });
    await renderForEntity(<EntityCrossplaneStatusCard />, { api });

    expect(await screen.findByText(/not allowed/i)).toBeInTheDocument();
  });

  it('asks for the annotations when the entity lacks them', async () => {
    const api = fakeCrossplaneApi();
    const entity = {
      ...claimEntity,
      metadata: {
        name: 'x',
        annotations: { 'platformops.io/cluster': 'east' },
      },
    };
    await renderForEntity(<EntityCrossplaneStatusCard />, { api, entity });

    expect(
      (await screen.findAllByText(/platformops.io\/api-version/)).length,
    ).toBeGreaterThan(0);
    expect(api.getTree).not.toHaveBeenCalled();
  });
});
