import { AuditorService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  CrossplaneObjectId,
  PlatformOpsMetadata,
} from '@platformops/plugin-crossplane-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { ObjectAuthorizer, ObjectPermissionRefused } from '../ObjectAuthorizer';
import { CreateService } from './CreateService';

const ALICE = 'user:default/alice';
const MALLORY = 'user:default/mallory';
const XRD = 'xpostgresqlinstances.database.example.org';
const CLAIM = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-alpha',
  name: 'orders-db',
};
const values = (overrides: Record<string, unknown> = {}) => ({
  name: CLAIM.name,
  namespace: CLAIM.namespace,
  parameters: { storage: { sizeGB: 20 } },
  ...overrides,
});

type Recorded = {
  eventId: string;
  meta: Record<string, unknown>;
  outcome?: 'succeeded' | 'failed';
  error?: string;
};

function setup() {
  const client = new InMemoryClusterClient('east', [postgresXrd]);
  const events: Recorded[] = [];
  const auditor = {
    async createEvent({ eventId, meta }) {
      const event: Recorded = { eventId, meta: meta ?? {} };
      events.push(event);
      return {
        async success() {
          event.outcome = 'succeeded';
        },
        async fail({ error }) {
          event.outcome = 'failed';
          event.error = error.message;
        },
      };
    },
  } as AuditorService;
  // The permission policy of the test: creates in team-alpha only, and
  // nothing at all for mallory.
  const authorizer = {
    async authorizeAny(credentials: { principal: { userEntityRef: string } }) {
      if (credentials.principal.userEntityRef === MALLORY) {
        throw new ObjectPermissionRefused(
          'crossplane.resource.create: not allowed',
        );
      }
    },
    async authorize(_c: unknown, _p: unknown, id: CrossplaneObjectId) {
      if (id.namespace !== 'team-alpha') {
        throw new ObjectPermissionRefused(
          `crossplane.resource.create: not allowed for ${id.name}`,
        );
      }
    },
  } as unknown as ObjectAuthorizer;
  const service = new CreateService({
    clusters: new StaticCrossplaneClusters([client]),
    authorizer,
    auditor,
  });
  const credentials = mockCredentials.user(ALICE);
  const request = (v: Record<string, unknown>) => ({
    cluster: 'east',
    xrd: XRD,
    values: v,
  });
  return { client, events, service, credentials, request };
}

describe('CreateService', () => {
  it('creates in a dry run nothing, and answers the manifest', async () => {
    const { client, events, service, credentials, request } = setup();
    const result = await service.create(request(values()), credentials, {
      dryRun: true,
    });
    expect(result).toMatchObject({
      object: { cluster: 'east', ...CLAIM },
      dryRun: true,
      created: false,
      validation: { ok: true },
    });
    expect(result.manifest).toContain('sizeGB: 20');
    expect(await client.get(CLAIM)).toBeUndefined();
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'create',
        outcome: 'succeeded',
        meta: expect.objectContaining({
          actor: ALICE,
          dryRun: true,
          objectKey: expect.stringContaining(CLAIM.name),
        }),
      }),
    ]);
  });

  it('creates the object, owned by the caller', async () => {
    const { client, service, credentials, request } = setup();
    const result = await service.create(request(values()), credentials);
    expect(result).toMatchObject({ created: true, dryRun: false });
    const live = await client.get(CLAIM);
    expect(live?.spec).toEqual({ parameters: { storage: { sizeGB: 20 } } });
    expect(
      live?.metadata.annotations?.[PlatformOpsMetadata.ownerAnnotation],
    ).toBe(ALICE);
  });

  it('refuses a name that exists, changing nothing', async () => {
    const { client, events, service, credentials, request } = setup();
    await service.create(request(values()), credentials);
    const before = client.requests.length;
    for (const dryRun of [true, false]) {
      await expect(
        service.create(
          request(values({ parameters: { storage: { sizeGB: 90 } } })),
          credentials,
          { dryRun },
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(/^values\.name: .*exists already/),
      });
    }
    expect(client.requests.slice(before)).not.toContainEqual(
      expect.stringMatching(/^apply/),
    );
    expect((await client.get(CLAIM))?.spec).toEqual({
      parameters: { storage: { sizeGB: 20 } },
    });
    expect(events.map(e => e.outcome)).toEqual([
      'succeeded',
      'failed',
      'failed',
    ]);
  });

  it('asks the permission on the namespace the object would have', async () => {
    const { client, events, service, credentials, request } = setup();
    await expect(
      service.create(request(values({ namespace: 'team-beta' })), credentials),
    ).rejects.toBeInstanceOf(ObjectPermissionRefused);
    expect(client.requests).not.toContainEqual(expect.stringMatching(/^apply/));
    expect(events).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        meta: expect.objectContaining({
          objectKey: expect.stringContaining('team-beta'),
        }),
      }),
    ]);
  });

  it('refuses values the XRD does not allow, naming the field', async () => {
    const { client, events, service, credentials, request } = setup();
    await expect(
      service.create(
        request(values({ parameters: { storage: { sizeGB: 5 } } })),
        credentials,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^values: .*sizeGB/s),
    });
    await expect(
      service.create(request(values({ name: 'Not A Name' })), credentials),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^values\.name/),
    });
    expect(client.requests).not.toContainEqual(expect.stringMatching(/^apply/));
    // Audited, without an object: none was made.
    expect(events.map(e => [e.outcome, e.meta.objectKey])).toEqual([
      ['failed', undefined],
      ['failed', undefined],
    ]);
  });

  it('tells a caller who may create nothing no more of a missing XRD than of an existing one', async () => {
    const { service, request } = setup();
    const mallory = mockCredentials.user(MALLORY);
    for (const xrd of [XRD, 'xnothings.database.example.org']) {
      const req = { ...request(values()), xrd };
      await expect(service.preview(req, mallory)).rejects.toThrow(
        /^crossplane\.resource\.create: not allowed$/,
      );
      await expect(
        service.create(req, mallory, { dryRun: true }),
      ).rejects.toThrow(/^crossplane\.resource\.create: not allowed$/);
    }
  });

  it("gives each XRD's form, its fields as one JSON Schema", async () => {
    const { service } = setup();
    const [form] = await service.forms(['east']);
    expect(form).toMatchObject({
      cluster: 'east',
      xrd: XRD,
      creates: {
        apiVersion: CLAIM.apiVersion,
        kind: CLAIM.kind,
        namespaced: true,
      },
      valuesSchema: {
        type: 'object',
        required: expect.arrayContaining(['name', 'namespace', 'parameters']),
        properties: {
          name: expect.any(Object),
          parameters: {
            properties: { storage: { properties: { sizeGB: {} } } },
          },
        },
      },
    });
    // Every step's fields are in the one schema.
    for (const step of form.form) {
      expect(Object.keys(form.valuesSchema.properties)).toEqual(
        expect.arrayContaining(Object.keys(step.properties)),
      );
    }
  });
});
