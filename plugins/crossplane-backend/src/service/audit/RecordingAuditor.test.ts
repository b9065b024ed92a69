import { DatabaseManager } from '@backstage/backend-defaults/database';
import { DefaultAuditorService } from '@backstage/backend-defaults/auditor';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { ObjectPermissionRefused } from '../ObjectAuthorizer';
import { AuditRecordStore } from './AuditRecordStore';
import { RecordingAuditor } from './RecordingAuditor';

// SQLite always; PostgreSQL when the check command started one
// (scripts/postgres.sh exports PLATFORMOPS_TEST_POSTGRES_URL).
const databases: [string, object][] = [
  ['SQLite', { client: 'better-sqlite3', connection: ':memory:' }],
];
if (process.env.PLATFORMOPS_TEST_POSTGRES_URL) {
  databases.push([
    'PostgreSQL',
    {
      client: 'pg',
      connection: process.env.PLATFORMOPS_TEST_POSTGRES_URL,
      // A fresh database per run: nothing left from an earlier one.
      prefix: `audit_${Date.now().toString(36)}_`,
    },
  ]);
}

const KEY = 'dev|apps.example.org|AppDatabase|team-alpha|orders';
const OTHER = 'dev|apps.example.org|AppDatabase|team-beta|reports';
const THIRD = 'dev|apps.example.org|AppDatabase|team-beta|billing';

describe.each(databases)('audit records for timelines (%s)', (_name, db) => {
  const logged: Record<string, any>[] = [];
  let store: AuditRecordStore;
  let clock = Date.parse('2026-12-01T10:00:00Z');

  /** The real auditor of the backend, logging to a list. */
  const auditor = DefaultAuditorService.create(
    async event => {
      logged.push(event as Record<string, any>);
    },
    {
      auth: mockServices.auth(),
      httpAuth: mockServices.httpAuth(),
      plugin: { getId: () => 'crossplane' },
    },
  );

  const recording = () =>
    new RecordingAuditor({
      auditor,
      sink: store,
      logger: mockServices.logger.mock(),
      now: () => new Date((clock += 1000)),
    });

  const meta = (objectKey: string, action = 'upgrade') => ({
    action,
    object: `AppDatabase.apps.example.org ${objectKey}`,
    objectKey,
    actor: 'user:default/alice',
    dryRun: false,
  });

  let database: ReturnType<DatabaseManager['forPlugin']>;

  beforeAll(async () => {
    const manager = DatabaseManager.fromConfig(
      new ConfigReader({ backend: { database: db } }),
    );
    database = manager.forPlugin('crossplane', {
      logger: mockServices.logger.mock(),
      lifecycle: mockServices.lifecycle.mock(),
    });
    store = await AuditRecordStore.create({
      database,
      retention: { maxPerObject: 3, maxAgeDays: 30 },
    });
  });

  afterAll(async () => {
    await (await database.getClient()).destroy();
  });

  it('records an operation on an object and still forwards every event to the auditor', async () => {
    const auditing = recording();
    const event = await auditing.createEvent({
      eventId: 'upgrade',
      severityLevel: 'medium',
      meta: meta(KEY),
    });
    await event.success({ meta: { to: 'rev-2' } });
    expect(logged.map(e => [e.eventId, e.status, e.meta.to])).toEqual([
      ['upgrade', 'initiated', undefined],
      ['upgrade', 'succeeded', 'rev-2'],
    ]);
    expect(await store.of(KEY)).toEqual([
      {
        objectKey: KEY,
        object: `AppDatabase.apps.example.org ${KEY}`,
        action: 'upgrade',
        actor: 'user:default/alice',
        outcome: 'succeeded',
        dryRun: false,
        time: expect.stringMatching(/^2026-12-01T10:00:0\d\.000Z$/),
      },
    ]);
  });

  it('records a failure with its message and no stack', async () => {
    const event = await recording().createEvent({
      eventId: 'pause',
      meta: meta(OTHER, 'pause'),
    });
    const error = new Error('crossplane.pause: not allowed\n  at stack line');
    await event.fail({ error });
    expect(logged.at(-1)).toMatchObject({ status: 'failed', error });
    const [record] = await store.of(OTHER);
    expect(record).toMatchObject({
      action: 'pause',
      outcome: 'failed',
      error: 'crossplane.pause: not allowed',
    });
  });

  it('records nothing of an event that names no object', async () => {
    const before = logged.length;
    const event = await recording().createEvent({
      eventId: 'summary',
      meta: { queryType: 'all' },
    });
    await event.success();
    expect(logged.length).toBe(before + 2);
    expect((await store.of(KEY)).length).toBe(1);
  });

  it('keeps the newest records of an object within the retention, newest first', async () => {
    const auditing = recording();
    for (const action of ['pause', 'resume', 'reconcile', 'edit']) {
      const event = await auditing.createEvent({
        eventId: action,
        meta: meta(KEY, action),
      });
      await event.success();
    }
    expect((await store.of(KEY)).map(r => r.action)).toEqual([
      'edit',
      'reconcile',
      'resume',
    ]);
    // Another object's records are not pruned with these.
    expect((await store.of(OTHER)).length).toBe(1);
  });

  it('drops records older than the retention', async () => {
    const old = recording();
    clock = Date.parse('2026-10-01T10:00:00Z');
    await (
      await old.createEvent({ eventId: 'edit', meta: meta(OTHER) })
    ).success();
    clock = Date.now();
    await (
      await recording().createEvent({ eventId: 'edit', meta: meta(KEY) })
    ).success();
    expect((await store.of(OTHER)).every(r => r.time > '2026-11-01')).toBe(
      true,
    );
  });

  it("keeps no refused attempt in an object's history, only in the auditor's", async () => {
    const auditing = recording();
    await (
      await auditing.createEvent({ eventId: 'edit', meta: meta(THIRD, 'edit') })
    ).success();
    for (let i = 0; i < 5; i++) {
      const event = await auditing.createEvent({
        eventId: 'delete',
        meta: { ...meta(THIRD, 'delete'), actor: 'user:default/mallory' },
      });
      await event.fail({
        error: new ObjectPermissionRefused(
          'crossplane.delete: not allowed for AppDatabase team-beta/billing',
        ),
      });
    }
    // Every attempt still reaches the auditor.
    expect(
      logged.filter(e => e.eventId === 'delete' && e.status === 'failed'),
    ).toHaveLength(5);
    expect(
      (await store.of(THIRD)).map(r => [r.action, r.actor, r.outcome]),
    ).toEqual([['edit', 'user:default/alice', 'succeeded']]);
  });

  it('keeps each failure that is not a refused permission', async () => {
    const auditing = recording();
    for (let i = 0; i < 2; i++) {
      const event = await auditing.createEvent({
        eventId: 'delete',
        meta: meta(THIRD, 'delete'),
      });
      await event.fail({ error: new Error('confirm: must be the name') });
    }
    expect(
      (await store.of(THIRD)).filter(r => r.error?.startsWith('confirm')),
    ).toHaveLength(2);
  });

  it('does not fail the operation when the record cannot be stored', async () => {
    const logger = mockServices.logger.mock();
    const auditing = new RecordingAuditor({
      auditor,
      sink: {
        add: async () => {
          throw new Error('database unavailable');
        },
      },
      logger,
    });
    const event = await auditing.createEvent({
      eventId: 'edit',
      meta: meta(KEY),
    });
    await expect(event.success()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('database unavailable'),
    );
  });
});
