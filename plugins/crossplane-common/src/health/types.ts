/**
 * The health of an object, from best to worst: `Healthy`, `Paused`,
 * `Progressing`, `Deleting`, `Unknown`, `Degraded`.
 *
 * @public
 */
export type HealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Paused'
  | 'Deleting'
  | 'Unknown';

/**
 * One health value for an object, with the reason and message that explain
 * it and since when it holds (an RFC 3339 timestamp, when known).
 *
 * @public
 */
export interface Health {
  status: HealthStatus;
  /** Machine-readable reason, usually the deciding condition's. */
  reason?: string;
  /** Human-readable explanation. */
  message?: string;
  /** Since when: the deciding condition's `lastTransitionTime`, or `deletionTimestamp`. */
  since?: string;
  /** The type of the condition that decided, e.g. `Synced`. */
  condition?: string;
}
