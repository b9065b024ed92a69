import { CrossplaneEvent } from '../../api/types';

function time(event: CrossplaneEvent): number {
  const t = Date.parse(event.lastTimestamp ?? event.firstTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/** Warnings first, then newest first within each type. */
export function sortEvents(events: CrossplaneEvent[]): CrossplaneEvent[] {
  return [...events].sort((a, b) => {
    const aWarning = a.type === 'Warning' ? 0 : 1;
    const bWarning = b.type === 'Warning' ? 0 : 1;
    return aWarning - bWarning || time(b) - time(a);
  });
}
