import { screen } from '@testing-library/react';
import { CrossplaneTreeNode } from '../../api/types';
import {
  fakeCrossplaneApi,
  renderForEntity,
  responseError,
} from '../../__testUtils__/testing';
import { EntityCrossplaneResourceTreeContent } from './EntityCrossplaneResourceTreeContent';
import { toGraph } from './treeGraph';

const claimRef = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-a',
  name: 'orders-db',
};
const xrRef = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'XPostgreSQLInstance',
  name: 'orders-db-8fk2p',
};
const rdsRef = {
  apiVersion: 'rds.aws.upbound.io/v1beta1',
  kind: 'Instance',
  name: 'orders-db-8fk2p-rds',
};
const sgRef = {
  apiVersion: 'ec2.aws.upbound.io/v1beta1',
  kind: 'SecurityGroup',
  name: 'orders-db-8fk2p-sg',
};
const degraded = {
  status: 'Degraded' as const,
  reason: 'ReconcileError',
  message: 'InvalidParameterValue: invalid DB instance class',
};

const tree: CrossplaneTreeNode = {
  ref: claimRef,
  objectClass: 'claim',
  health: { status: 'Progressing', reason: 'Creating' },
  rolledUpHealth: degraded,
  culpritPath: [claimRef, xrRef, rdsRef],
  conditions: [],
  children: [
    {
      ref: xrRef,
      objectClass: 'composite',
      health: { status: 'Progressing', reason: 'Creating' },
      rolledUpHealth: degraded,
      culpritPath: [xrRef, rdsRef],
      conditions: [],
      entityRef: 'resource:team-a/orders-db-8fk2p',
      children: [
        {
          ref: rdsRef,
          objectClass: 'managed',
          health: degraded,
          rolledUpHealth: degraded,
          conditions: [],
          children: [],
        },
        {
          ref: sgRef,
          objectClass: 'managed',
          health: { status: 'Healthy' },
          rolledUpHealth: { status: 'Healthy' },
          conditions: [],
          children: [],
        },
      ],
    },
  ],
};

describe('toGraph', () => {
  it('marks the nodes and edges on the culprit path', () => {
    const { nodes, edges } = toGraph(tree);
    expect(nodes.map(n => [n.node.ref.name, n.onCulpritPath])).toEqual([
      ['orders-db', true],
      ['orders-db-8fk2p', true],
      ['orders-db-8fk2p-rds', true],
      ['orders-db-8fk2p-sg', false],
    ]);
    expect(edges.map(e => [e.from, e.to, e.onCulpritPath])).toEqual([
      ['0', '0.0', true],
      ['0.0', '0.0.0', true],
      ['0.0', '0.0.1', false],
    ]);
  });
});

describe('EntityCrossplaneResourceTreeContent', () => {
  it('draws every resource with kind, name and health', async () => {
    const api = fakeCrossplaneApi({ getTree: async () => tree });
    await renderForEntity(<EntityCrossplaneResourceTreeContent />, { api });

    expect(await screen.findByText('orders-db-8fk2p-rds')).toBeInTheDocument();
    const nodes = screen.getAllByTestId('crossplane-tree-node');
    expect(nodes).toHaveLength(4);
    expect(screen.getByText('XPostgreSQLInstance')).toBeInTheDocument();
    expect(screen.getByText('SecurityGroup')).toBeInTheDocument();
    expect(screen.getByText('Healthy')).toBeInTheDocument();
    expect(
      screen.getAllByText('Degraded (ReconcileError)').length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText(/because of Instance orders-db-8fk2p-rds/),
    ).toBeInTheDocument();

    const culprit = nodes.filter(
      n => n.getAttribute('data-culprit') === 'true',
    );
    expect(culprit.map(n => n.textContent)).toEqual([
      expect.stringContaining('orders-db'),
      expect.stringContaining('orders-db-8fk2p'),
      expect.stringContaining('orders-db-8fk2p-rds'),
    ]);
  });

  it('links a node with an entity to its entity page', async () => {
    const api = fakeCrossplaneApi({ getTree: async () => tree });
    await renderForEntity(<EntityCrossplaneResourceTreeContent />, { api });

    const name = await screen.findByText('orders-db-8fk2p');
    expect(name.closest('a')).toHaveAttribute(
      'href',
      '/catalog/team-a/resource/orders-db-8fk2p',
    );
    expect(screen.getByText('orders-db-8fk2p-sg').closest('a')).toBeNull();
  });

  it('says "not allowed" on 403', async () => {
    const error = await responseError(403, 'NotAllowedError', 'denied');
    const api = fakeCrossplaneApi({ getTree: () => Promise.reject(error) });
    await renderForEntity(<EntityCrossplaneResourceTreeContent />, { api });
    expect(await screen.findByText(/not allowed/i)).toBeInTheDocument();
  });
});
