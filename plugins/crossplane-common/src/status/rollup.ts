import type { Health } from '../health/types';

/**
 * One signal about an entity from one status source: a workload, a pod, a
 * Crossplane resource it depends on, a pipeline run, or anything a module
 * contributes (CI runs, incidents).
 *
 * @public
 */
export interface StatusSignal {
  /** The id of the source that produced it, e.g. `workloads`. */
  source: string;
  /** What the signal is about, e.g. `Pod payments-api-7d9c-x2k4`. */
  name: string;
  health: Health;
  /** The catalog entity it is about, when it has one. */
  entityRef?: string;
  /** Where to look further: a page of the portal or an external URL. */
  link?: string;
  /**
   * When the state began or the event happened (RFC 3339). Past events
   * (a finished pipeline run) weigh less as they age: see `rollupHealth`.
   */
  time?: string;
  /** True for a finished event rather than a current state. */
  event?: boolean;
  /** Short facts shown beside the name, e.g. `{ ready: '1/2', restarts: '14' }`. */
  details?: Record<string, string>;
}

/**
 * The signals of one source for an entity, worst first.
 *
 * @public
 */
export interface StatusSourceResult {
  id: string;
  title: string;
  health: Health;
  signals: StatusSignal[];
  /** Set when the source could not answer; its signals are then absent. */
  error?: string;
}

/**
 * The roll-up of everything known about one entity (a service, a system,
 * an owner): the worst state first, and the signal that decided it.
 *
 * @public
 */
export interface EntityRollup {
  entityRef: string;
  /** The overall health; its message names the cause. */
  health: Health;
  /** The signal that decided the overall health, when not Healthy. */
  cause?: StatusSignal;
  /** One entry per source, worst first. */
  sources: StatusSourceResult[];
  /** For a System or an owner: the roll-ups of its services, worst first. */
  members?: Array<{ entityRef: string; health: Health; cause?: StatusSignal }>;
  /**
   * How many members there are, when more than `members` holds (a roll-up
   * covers a bounded number of them).
   */
  membersTotal?: number;
  /** When it was computed (RFC 3339). */
  computedAt: string;
}
