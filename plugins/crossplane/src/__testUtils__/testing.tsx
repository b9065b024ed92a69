import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { ReactElement } from 'react';
import { CrossplaneApi, crossplaneApiRef } from '../api/CrossplaneApi';

/** A CrossplaneApi whose unimplemented methods fail the test. */
export function fakeCrossplaneApi(
  overrides: Partial<CrossplaneApi> = {},
): jest.Mocked<CrossplaneApi> {
  const unexpected = (name: string) =>
    jest.fn(async () => {
      throw new Error(`unexpected call of ${name}`);
    });
  return {
    getClusters: jest.fn(overrides.getClusters ?? unexpected('getClusters')),
    getSummary: jest.fn(overrides.getSummary ?? unexpected('getSummary')),
    getTree: jest.fn(overrides.getTree ?? unexpected('getTree')),
    getEvents: jest.fn(overrides.getEvents ?? unexpected('getEvents')),
    getYaml: jest.fn(overrides.getYaml ?? unexpected('getYaml')),
    getCapabilities: jest.fn(
      overrides.getCapabilities ?? unexpected('getCapabilities'),
    ),
    runLifecycleOperation: jest.fn(
      overrides.runLifecycleOperation ?? unexpected('runLifecycleOperation'),
    ),
    getEditForm: jest.fn(overrides.getEditForm ?? unexpected('getEditForm')),
    editObject: jest.fn(overrides.editObject ?? unexpected('editObject')),
    previewCreate: jest.fn(
      overrides.previewCreate ?? unexpected('previewCreate'),
    ),
    getNamespaceChoices: jest.fn(
      overrides.getNamespaceChoices ?? unexpected('getNamespaceChoices'),
    ),
    getCompositionChoices: jest.fn(
      overrides.getCompositionChoices ?? unexpected('getCompositionChoices'),
    ),
    getDeletionImpact: jest.fn(
      overrides.getDeletionImpact ?? unexpected('getDeletionImpact'),
    ),
    getDeletionProgress: jest.fn(
      overrides.getDeletionProgress ?? unexpected('getDeletionProgress'),
    ),
    deleteObject: jest.fn(overrides.deleteObject ?? unexpected('deleteObject')),
    getUpgrades: jest.fn(overrides.getUpgrades ?? unexpected('getUpgrades')),
    upgrade: jest.fn(overrides.upgrade ?? unexpected('upgrade')),
    getTimeline: jest.fn(overrides.getTimeline ?? unexpected('getTimeline')),
    getRollup: jest.fn(overrides.getRollup ?? unexpected('getRollup')),
    listRollups: jest.fn(overrides.listRollups ?? unexpected('listRollups')),
  } as jest.Mocked<CrossplaneApi>;
}

/** A ResponseError as the backend's error handler produces it. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  const response = new Response(
    JSON.stringify({
      error: { name, message },
      request: { method: 'GET', url: '/api/crossplane/tree' },
      response: { statusCode: status },
    }),
    {
      status,
      statusText: status === 403 ? 'Forbidden' : 'Internal Server Error',
      headers: { 'content-type': 'application/json' },
    },
  );
  return ResponseError.fromResponse(response as any);
}

/** The object {@link claimEntity} stands for. */
export const claimLocator = {
  cluster: 'east',
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-a',
  name: 'orders-db',
};

/** An entity ingested from a claim. */
export const claimEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'orders-db',
    namespace: 'default',
    annotations: {
      'platformops.io/cluster': 'east',
      'platformops.io/api-version': 'database.example.org/v1alpha1',
      'platformops.io/kind': 'PostgreSQLInstance',
      'platformops.io/namespace': 'team-a',
      'platformops.io/name': 'orders-db',
      'platformops.io/object-class': 'claim',
      'platformops.io/health': 'Degraded',
    },
  },
  spec: { type: 'database', owner: 'group:default/team-a' },
};

/** Renders an element in a test app, inside an entity page. */
export function renderForEntity(
  element: ReactElement,
  options: { api: CrossplaneApi; entity?: Entity },
) {
  return renderInTestApp(
    <EntityProvider entity={options.entity ?? claimEntity}>
      {element}
    </EntityProvider>,
    {
      apis: [[crossplaneApiRef, options.api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

/** Renders an element in a test app with a fake CrossplaneApi. */
export function renderWithApi(element: ReactElement, api: CrossplaneApi) {
  return renderInTestApp(element, {
    apis: [[crossplaneApiRef, api]],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}
