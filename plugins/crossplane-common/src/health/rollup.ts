import type {
  EntityRollup,
  StatusSignal,
  StatusSourceResult,
} from '../status/rollup';
import { compareHealth, healthSeverity } from './compare';
import { Health } from './types';

const HOUR_MS = 60 * 60 * 1000;

/**
 * How long a failed event (a pipeline run that failed) counts in full: for
 * its first 24 hours it weighs as what it is, `Degraded`.
 *
 * @public
 */
export const EVENT_FULL_WEIGHT_MS = 24 * HOUR_MS;

/**
 * How long a failed event is remembered at all: after its first day and
 * until it is 7 days old it counts as `Progressing` with the reason
 * `RecentlyFailed` (worth a look, no longer an alarm); older, it no longer
 * counts.
 *
 * @public
 */
export const EVENT_MEMORY_MS = 7 * 24 * HOUR_MS;

/**
 * Reason of a failed event in its `RecentlyFailed` period.
 *
 * @public
 */
export const RECENTLY_FAILED = 'RecentlyFailed';

function timeOf(value: Date | number): number {
  return typeof value === 'number' ? value : value.getTime();
}

function ageText(ms: number): string {
  const hours = Math.floor(ms / HOUR_MS);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * What a signal weighs now. A current state (not `event`) always counts
 * as it is: it never decays. An event that went well counts as it is. A
 * failed event (`Degraded` or `Unknown`) counts in full for
 * {@link EVENT_FULL_WEIGHT_MS}, then as `Progressing` (`RecentlyFailed`)
 * until it is {@link EVENT_MEMORY_MS} old, then not at all (undefined). An
 * event without a readable time cannot be aged and counts in full, as does
 * one dated in the future.
 *
 * @public
 */
export function weighSignal(
  signal: StatusSignal,
  now: Date | number,
): Health | undefined {
  const health = signal.health;
  if (
    !signal.event ||
    healthSeverity(health.status) < healthSeverity('Unknown')
  )
    return health;
  const at = signal.time ? Date.parse(signal.time) : NaN;
  if (Number.isNaN(at)) return health;
  const age = Math.max(0, timeOf(now) - at);
  if (age < EVENT_FULL_WEIGHT_MS) return health;
  if (age >= EVENT_MEMORY_MS) return undefined;
  const what = health.message ?? health.reason ?? health.status;
  return {
    status: 'Progressing',
    reason: RECENTLY_FAILED,
    message: `failed ${ageText(age)} ago: ${what}`,
    since: signal.time,
  };
}

/**
 * What a signal says, for a sentence: `Pod payments-api-x: CrashLoopBackOff`.
 *
 * @public
 */
export function explainSignal(signal: StatusSignal, weighed?: Health): string {
  const health = weighed ?? signal.health;
  const detail = health.message ?? health.reason;
  return detail ? `${signal.name}: ${detail}` : signal.name;
}

/**
 * Signals worst first by what they weigh now (see `weighSignal`),
 * those that no longer count last; among equals the newest first, then
 * by name. Does not change the list it is given.
 *
 * @public
 */
export function sortSignals(
  signals: readonly StatusSignal[],
  now: Date | number,
): StatusSignal[] {
  const weighed = signals.map(signal => ({
    signal,
    severity: severityOf(weighSignal(signal, now)),
  }));
  return weighed
    .sort(
      (a, b) =>
        b.severity - a.severity ||
        (b.signal.time ?? '').localeCompare(a.signal.time ?? '') ||
        a.signal.name.localeCompare(b.signal.name),
    )
    .map(w => w.signal);
}

function severityOf(health: Health | undefined): number {
  return health ? healthSeverity(health.status) : -1;
}

/**
 * The overall health of some signals and the one that decided it: the
 * worst of what each weighs now (see `weighSignal`; the first wins a tie),
 * its message naming the cause, e.g.
 * `Degraded because Pod payments-api-x: CrashLoopBackOff (14 restarts)`.
 * No signals at all is `Unknown` (`NoSignals`): nothing reports on it.
 * Signals that all no longer count (old events) are `Healthy`.
 *
 * @public
 */
export function rollupHealth(
  signals: readonly StatusSignal[],
  now: Date | number,
): { health: Health; cause?: StatusSignal } {
  if (signals.length === 0) {
    return {
      health: {
        status: 'Unknown',
        reason: 'NoSignals',
        message: 'no status source reports on it',
      },
    };
  }
  let worst: { signal: StatusSignal; health: Health } | undefined;
  for (const signal of signals) {
    const health = weighSignal(signal, now);
    if (health && (!worst || compareHealth(health, worst.health) > 0)) {
      worst = { signal, health };
    }
  }
  if (!worst || worst.health.status === 'Healthy') {
    const counted = signals.filter(s => weighSignal(s, now)).length;
    return {
      health: {
        status: 'Healthy',
        reason: counted ? 'AllHealthy' : 'NothingRecent',
        message: counted
          ? `${counted} of ${signals.length} signals healthy, none worse`
          : 'only events too old to count',
      },
    };
  }
  const health: Health = {
    status: worst.health.status,
    reason: worst.health.reason,
    message: `${worst.health.status} because ${explainSignal(
      worst.signal,
      worst.health,
    )}`,
  };
  const since = worst.health.since ?? worst.signal.time;
  if (since) health.since = since;
  if (!health.reason) delete health.reason;
  return { health, cause: worst.signal };
}

/**
 * One source's answer: its signals worst first and their health. A source
 * that knows of nothing is `Healthy` (`NoSignals`) and does not weigh on
 * the entity; one that failed (`error`) is `Unknown` with the error.
 *
 * @public
 */
export function sourceResult(
  source: { id: string; title: string },
  answer: { signals: readonly StatusSignal[] } | { error: string },
  now: Date | number,
): StatusSourceResult {
  if ('error' in answer) {
    return {
      id: source.id,
      title: source.title,
      health: {
        status: 'Unknown',
        reason: 'SourceFailed',
        message: `${source.title} could not answer: ${answer.error}`,
      },
      signals: [],
      error: answer.error,
    };
  }
  const signals = sortSignals(answer.signals, now);
  const health =
    signals.length === 0
      ? {
          status: 'Healthy' as const,
          reason: 'NoSignals',
          message: 'nothing to report',
        }
      : rollupHealth(signals, now).health;
  return { id: source.id, title: source.title, health, signals };
}

/** A member's roll-up as one signal of its System or owner. */
function memberSignal(member: NonNullable<EntityRollup['members']>[number]) {
  const signal: StatusSignal = {
    source: 'members',
    name: member.entityRef,
    entityRef: member.entityRef,
    health: {
      ...member.health,
      message: member.cause
        ? explainSignal(member.cause)
        : member.health.message,
    },
  };
  return signal;
}

/**
 * The roll-up of an entity from its sources' answers and, for a System or
 * an owner, its members' roll-ups: sources and members worst first; the
 * overall health is the worst of every signal, of every member and of
 * every source that failed (`Unknown`), and its cause is the signal that
 * decided (for a member, the member's own cause).
 *
 * @public
 */
export function entityRollup(
  entityRef: string,
  sources: readonly StatusSourceResult[],
  now: Date | number,
  members?: EntityRollup['members'],
): EntityRollup {
  const signals: StatusSignal[] = [];
  const causes = new Map<StatusSignal, StatusSignal>();
  for (const source of sources) {
    if (source.error !== undefined) {
      signals.push({
        source: source.id,
        name: source.title,
        health: source.health,
      });
    } else signals.push(...source.signals);
  }
  const sortedMembers = members
    ? [...members].sort((a, b) => compareHealth(b.health, a.health))
    : undefined;
  for (const member of sortedMembers ?? []) {
    const signal = memberSignal(member);
    signals.push(signal);
    if (member.cause) {
      causes.set(signal, {
        ...member.cause,
        entityRef: member.cause.entityRef ?? member.entityRef,
      });
    }
  }
  const { health, cause } = rollupHealth(signals, now);
  const rollup: EntityRollup = {
    entityRef,
    health,
    sources: [...sources].sort((a, b) => compareHealth(b.health, a.health)),
    computedAt: new Date(timeOf(now)).toISOString(),
  };
  if (cause) rollup.cause = causes.get(cause) ?? cause;
  if (sortedMembers) rollup.members = sortedMembers;
  return rollup;
}
