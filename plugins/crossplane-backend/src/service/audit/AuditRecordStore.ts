import {
  DatabaseService,
  resolvePackagePath,
  RootConfigService,
} from '@backstage/backend-plugin-api';

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

const TABLE = 'audit_records';

/**
 * One recorded operation on an object: who did what, and how it ended.
 */
export interface AuditRecord {
  /** `objectIdKey` of the object. */
  objectKey: string;
  /** `describeObjectId` of the object, for people. */
  object: string;
  action: string;
  actor: string;
  outcome: 'succeeded' | 'failed';
  /** The error's message, never its stack. */
  error?: string;
  dryRun: boolean;
  /** RFC 3339. */
  time: string;
}

/**
 * How long records are kept: the newest `maxPerObject` of each object, and
 * none older than `maxAgeDays`.
 */
export interface AuditRetention {
  maxPerObject: number;
  maxAgeDays: number;
}

/** The defaults of `crossplane.timeline.retention`. */
export const DEFAULT_AUDIT_RETENTION: AuditRetention = {
  maxPerObject: 100,
  maxAgeDays: 90,
};

/** Reads `crossplane.timeline.retention`; the defaults where unset. */
export function readAuditRetention(config: RootConfigService): AuditRetention {
  const retention = config.getOptionalConfig('crossplane.timeline.retention');
  const positive = (key: keyof AuditRetention) => {
    const value = retention?.getOptionalNumber(key);
    if (value === undefined) return DEFAULT_AUDIT_RETENTION[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `crossplane.timeline.retention.${key}: must be a whole number of at least 1 (got ${value})`,
      );
    }
    return value;
  };
  return {
    maxPerObject: positive('maxPerObject'),
    maxAgeDays: positive('maxAgeDays'),
  };
}

type Row = {
  object_key: string;
  object: string;
  action: string;
  actor: string;
  outcome: string;
  error: string | null;
  dry_run: boolean | number;
  occurred_at: string;
};

/** Longest error message kept: a record says what failed, not a dump. */
const MAX_ERROR_LENGTH = 1000;

/**
 * The audit records of operations on Crossplane objects, in the plugin's
 * database (migrations in the package's `migrations` directory), kept
 * within the retention.
 */
export class AuditRecordStore {
  readonly #db: Knex;
  readonly #retention: AuditRetention;

  static async create(options: {
    database: DatabaseService;
    retention?: Partial<AuditRetention>;
  }): Promise<AuditRecordStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@platformops/plugin-crossplane-backend',
          'migrations',
        ),
      });
    }
    return new AuditRecordStore(db, {
      ...DEFAULT_AUDIT_RETENTION,
      ...options.retention,
    });
  }

  private constructor(db: Knex, retention: AuditRetention) {
    this.#db = db;
    this.#retention = retention;
  }

  /** Stores a record, then drops what falls out of the retention. */
  async add(record: AuditRecord): Promise<void> {
    const error = record.error?.slice(0, MAX_ERROR_LENGTH) ?? null;
    await this.#db<Row>(TABLE).insert({
      object_key: record.objectKey,
      object: record.object,
      action: record.action,
      actor: record.actor,
      outcome: record.outcome,
      error,
      dry_run: record.dryRun,
      occurred_at: record.time,
    });
    await this.#prune(record.objectKey);
  }

  /** The records of an object, newest first. */
  async of(objectKey: string): Promise<AuditRecord[]> {
    const rows = await this.#db<Row & { id: number }>(TABLE)
      .where({ object_key: objectKey })
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(this.#retention.maxPerObject);
    return rows.map(row => ({
      objectKey: row.object_key,
      object: row.object,
      action: row.action,
      actor: row.actor,
      outcome: row.outcome === 'failed' ? 'failed' : 'succeeded',
      ...(row.error ? { error: row.error } : {}),
      dryRun: Boolean(row.dry_run),
      time: row.occurred_at,
    }));
  }

  async #prune(objectKey: string) {
    const cutoff = new Date(
      Date.now() - this.#retention.maxAgeDays * 24 * 3600 * 1000,
    ).toISOString();
    await this.#db(TABLE).where('occurred_at', '<', cutoff).delete();
    // Beyond the newest maxPerObject of this object.
    const kept = this.#db(TABLE)
      .select('id')
      .where({ object_key: objectKey })
      .orderBy('id', 'desc')
      .limit(this.#retention.maxPerObject);
    await this.#db(TABLE)
      .where({ object_key: objectKey })
      .whereNotIn('id', this.#db.select('id').from(kept.as('kept')))
      .delete();
  }
}
