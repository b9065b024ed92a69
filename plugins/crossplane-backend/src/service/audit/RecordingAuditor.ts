import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEvent,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ObjectPermissionRefused } from '../ObjectAuthorizer';
import { AuditRecord } from './AuditRecordStore';

type Meta = NonNullable<AuditorServiceCreateEventOptions['meta']>;

/**
 * Where the records of operations on objects go.
 */
export interface AuditRecordSink {
  add(record: AuditRecord): Promise<void>;
}

/**
 * Backstage's auditor, with every operation on an object also kept for the
 * object's timeline: an event whose meta names the object (`objectKey`, as
 * `objectIdKey` gives it) is recorded when it ends, succeeded or failed,
 * with the error's message and never its stack. An attempt the object's
 * permission refused is not kept: it did nothing to the object, anyone may
 * make it as often as they like and on any name (existing or not), and
 * each one kept would push the object's real history out of the retention
 * or fill the store. Every event, refusals included, still goes
 * to the auditor it wraps, unchanged; a record that cannot be stored is
 * logged and does not fail the operation.
 */
export class RecordingAuditor implements AuditorService {
  readonly #auditor: AuditorService;
  readonly #sink: AuditRecordSink;
  readonly #logger: LoggerService;
  readonly #now: () => Date;

  constructor(options: {
    auditor: AuditorService;
    sink: AuditRecordSink;
    logger: LoggerService;
    now?: () => Date;
  }) {
    this.#auditor = options.auditor;
    this.#sink = options.sink;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  async createEvent(
    options: AuditorServiceCreateEventOptions,
  ): Promise<AuditorServiceEvent> {
    const event = await this.#auditor.createEvent(options);
    const meta = options.meta ?? {};
    if (typeof meta.objectKey !== 'string') return event;
    const record = (outcome: AuditRecord['outcome'], error?: Error) =>
      this.#record(options.eventId, meta, outcome, error);
    return {
      success: async success => {
        await event.success(success);
        await record('succeeded');
      },
      fail: async failure => {
        await event.fail(failure);
        await record('failed', failure.error);
      },
    };
  }

  async #record(
    eventId: string,
    meta: Meta,
    outcome: AuditRecord['outcome'],
    error?: Error,
  ) {
    // Refusals are the auditor's, not the object's history.
    if (error instanceof ObjectPermissionRefused) return;
    const text = (value: unknown) =>
      typeof value === 'string' ? value : undefined;
    try {
      await this.#sink.add({
        objectKey: meta.objectKey as string,
        object: text(meta.object) ?? (meta.objectKey as string),
        action: text(meta.action) ?? eventId,
        actor: text(meta.actor) ?? '',
        outcome,
        ...(error ? { error: messageOf(error) } : {}),
        dryRun: meta.dryRun === true,
        time: this.#now().toISOString(),
      });
    } catch (storeError) {
      this.#logger.warn(
        `Could not keep the audit record of ${eventId} on ${String(
          meta.object ?? meta.objectKey,
        )} for its timeline: ${messageOf(storeError)}`,
      );
    }
  }
}

/** An error's message: its first line, no stack. */
function messageOf(error: unknown): string {
  const message =
    error instanceof Error ? error.message : String(error ?? 'unknown error');
  return message.split('\n')[0];
}
