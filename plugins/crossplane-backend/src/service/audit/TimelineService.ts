import {
  CrossplaneObjectId,
  CrossplaneTimelineEntry,
  objectIdKey,
} from '@platformops/plugin-crossplane-common';
import { CrossplaneClusters } from '@platformops/plugin-crossplane-node';
import { StatusService } from '../StatusService';
import { AuditRecord } from './AuditRecordStore';
import { mergeTimeline } from './timeline';

/**
 * The history of one object the status backend follows: what was done to
 * it through the portal (the audit records), what its controllers
 * reported (its Kubernetes events) and who last wrote its fields
 * (`metadata.managedFields` of the live object; the cache drops them).
 */
export class TimelineService {
  readonly #status: StatusService;
  readonly #clusters: CrossplaneClusters;
  readonly #records: { of(objectKey: string): Promise<AuditRecord[]> };

  constructor(options: {
    status: StatusService;
    clusters: CrossplaneClusters;
    records: { of(objectKey: string): Promise<AuditRecord[]> };
  }) {
    this.#status = options.status;
    this.#clusters = options.clusters;
    this.#records = options.records;
  }

  /** Newest first; NotFoundError for an object the cache does not hold. */
  async timeline(id: CrossplaneObjectId): Promise<CrossplaneTimelineEntry[]> {
    const { object: cached } = this.#status.cached(id);
    const [records, events, object] = await Promise.all([
      this.#records.of(objectIdKey(id)),
      this.#status.events(id, false),
      this.#clusters.get(id.cluster).get({
        apiVersion: cached.apiVersion,
        kind: cached.kind,
        namespace: cached.metadata.namespace,
        name: cached.metadata.name,
      }),
    ]);
    return mergeTimeline({ records, events, object });
  }
}
