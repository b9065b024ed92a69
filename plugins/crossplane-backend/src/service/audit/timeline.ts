import {
  CrossplaneEvent,
  CrossplaneTimelineEntry,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { AuditRecord } from './AuditRecordStore';

/** One entry of `metadata.managedFields`. */
type ManagedFieldsEntry = {
  manager?: string;
  operation?: string;
  time?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
};

/**
 * Who last wrote which top-level fields of an object, as timeline
 * entries: one per field manager, at the time it last wrote them.
 */
export function fieldManagerEntries(
  object: KubernetesObject | undefined,
): CrossplaneTimelineEntry[] {
  const managed = (object?.metadata as { managedFields?: unknown } | undefined)
    ?.managedFields;
  if (!Array.isArray(managed)) return [];
  return managed
    .filter(
      (m): m is ManagedFieldsEntry =>
        typeof m === 'object' && m !== null && typeof m.time === 'string',
    )
    .map(m => {
      const fields = Object.keys(m.fieldsV1 ?? {})
        .filter(key => key.startsWith('f:'))
        .map(key => key.slice(2));
      const verb = m.operation === 'Apply' ? 'applied' : 'updated';
      const where = m.subresource ? ` (${m.subresource})` : '';
      return {
        time: m.time!,
        source: 'field-manager' as const,
        actor: m.manager,
        summary: `${m.manager ?? 'unknown manager'} ${verb} ${
          fields.join(', ') || 'no fields'
        }${where}`,
      };
    });
}

/** An audit record as a timeline entry. */
export function auditEntry(record: AuditRecord): CrossplaneTimelineEntry {
  const what = `${record.action}${record.dryRun ? ' (dry run)' : ''}`;
  return {
    time: record.time,
    source: 'audit',
    actor: record.actor || undefined,
    summary: record.error
      ? `${what} ${record.outcome}: ${record.error}`
      : `${what} ${record.outcome}`,
    outcome: record.outcome,
  };
}

/** A Kubernetes event as a timeline entry, at the time it last happened. */
export function eventEntry(
  event: CrossplaneEvent,
): CrossplaneTimelineEntry | undefined {
  const time = event.lastTimestamp ?? event.firstTimestamp;
  if (!time) return undefined;
  const count = event.count && event.count > 1 ? ` (${event.count} times)` : '';
  return {
    time,
    source: 'event',
    ...(event.source ? { actor: event.source } : {}),
    summary: `${event.reason ?? 'Event'}: ${event.message ?? ''}${count}`,
    outcome: event.type,
  };
}

/**
 * The timeline of an object: its audit records, its events and its field
 * managers, newest first (by instant, whatever the timestamps' precision).
 */
export function mergeTimeline(parts: {
  records: AuditRecord[];
  events: CrossplaneEvent[];
  object?: KubernetesObject;
}): CrossplaneTimelineEntry[] {
  const entries = [
    ...parts.records.map(auditEntry),
    ...parts.events
      .map(eventEntry)
      .filter((e): e is CrossplaneTimelineEntry => e !== undefined),
    ...fieldManagerEntries(parts.object),
  ];
  const at = (entry: CrossplaneTimelineEntry) => Date.parse(entry.time) || 0;
  // A stable sort: entries of the same instant keep audit, event, fields.
  return entries
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => at(b.entry) - at(a.entry) || a.i - b.i)
    .map(({ entry }) => entry);
}
