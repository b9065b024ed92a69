import fc from 'fast-check';
import type { StatusSignal } from '../status/rollup';
import { HEALTH_STATUSES, healthSeverity } from './compare';
import {
  entityRollup,
  EVENT_FULL_WEIGHT_MS,
  EVENT_MEMORY_MS,
  rollupHealth,
  sortSignals,
  sourceResult,
  weighSignal,
} from './rollup';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const ago = (ms: number) => new Date(NOW - ms).toISOString();

const crashLoop: StatusSignal = {
  source: 'workloads',
  name: 'Pod payments-api-x',
  health: {
    status: 'Degraded',
    reason: 'CrashLoopBackOff',
    message: 'CrashLoopBackOff (14 restarts)',
  },
};
const database: StatusSignal = {
  source: 'crossplane',
  name: 'database payments-db',
  health: {
    status: 'Degraded',
    reason: 'QuotaExceeded',
    message: 'storage quota exceeded',
  },
};
const healthyPod: StatusSignal = {
  source: 'workloads',
  name: 'Pod payments-api-y',
  health: { status: 'Healthy' },
};
const failedRun = (age: number): StatusSignal => ({
  source: 'jobs',
  name: 'Job nightly-7',
  event: true,
  time: ago(age),
  health: { status: 'Degraded', reason: 'BackoffLimitExceeded' },
});

describe('rollupHealth', () => {
  it('explains the worst signal as the cause', () => {
    expect(rollupHealth([healthyPod, crashLoop, database], NOW)).toEqual({
      health: {
        status: 'Degraded',
        reason: 'CrashLoopBackOff',
        message:
          'Degraded because Pod payments-api-x: CrashLoopBackOff (14 restarts)',
      },
      cause: crashLoop,
    });
    expect(rollupHealth([database], NOW).health.message).toBe(
      'Degraded because database payments-db: storage quota exceeded',
    );
  });

  it('is Unknown with no signals, Healthy when none is worse', () => {
    expect(rollupHealth([], NOW).health).toMatchObject({
      status: 'Unknown',
      reason: 'NoSignals',
    });
    const { health, cause } = rollupHealth([healthyPod], NOW);
    expect(health.status).toBe('Healthy');
    expect(cause).toBeUndefined();
  });

  it('ages failed events: in full for a day, recently failed for a week, then not at all', () => {
    expect(
      rollupHealth([healthyPod, failedRun(2 * HOUR)], NOW).health,
    ).toMatchObject({
      status: 'Degraded',
      message: 'Degraded because Job nightly-7: BackoffLimitExceeded',
    });
    expect(
      rollupHealth([healthyPod, failedRun(3 * 24 * HOUR)], NOW).health,
    ).toEqual({
      status: 'Progressing',
      reason: 'RecentlyFailed',
      message:
        'Progressing because Job nightly-7: failed 3 days ago: BackoffLimitExceeded',
      since: ago(3 * 24 * HOUR),
    });
    expect(
      rollupHealth([healthyPod, failedRun(8 * 24 * HOUR)], NOW).health,
    ).toMatchObject({ status: 'Healthy' });
    expect(rollupHealth([failedRun(30 * 24 * HOUR)], NOW).health).toMatchObject(
      {
        status: 'Healthy',
        reason: 'NothingRecent',
      },
    );
  });

  it('never ages a current state, nor an event it cannot date', () => {
    const old = { ...crashLoop, time: ago(90 * 24 * HOUR) };
    expect(rollupHealth([old], NOW).health.status).toBe('Degraded');
    const undated = { ...failedRun(0), time: 'yesterday' };
    expect(weighSignal(undated, NOW)?.status).toBe('Degraded');
  });
});

const statusArb = fc.constantFrom(...HEALTH_STATUSES);
const signalArb: fc.Arbitrary<StatusSignal> = fc.record({
  source: fc.constantFrom('workloads', 'jobs', 'crossplane'),
  name: fc.string({ maxLength: 8 }),
  health: fc.record({ status: statusArb }),
  event: fc.boolean(),
  time: fc
    .integer({ min: -2 * HOUR, max: 10 * 24 * HOUR })
    .map(age => ago(age)),
});

describe('roll-up properties', () => {
  it('is the worst of what each signal weighs now, caused by one of them', () => {
    fc.assert(
      fc.property(
        fc.array(signalArb, { minLength: 1, maxLength: 12 }),
        signals => {
          const { health, cause } = rollupHealth(signals, NOW);
          const weights = signals
            .map(s => weighSignal(s, NOW))
            .filter(h => h !== undefined)
            .map(h => healthSeverity(h!.status));
          expect(healthSeverity(health.status)).toBe(Math.max(0, ...weights));
          // Anything worse than Healthy has its cause among the signals.
          expect(
            health.status === 'Healthy' ||
              (signals.includes(cause!) &&
                weighSignal(cause!, NOW)?.status === health.status),
          ).toBe(true);
          // A current state never counts for less than it is.
          for (const s of signals.filter(x => !x.event)) {
            expect(healthSeverity(health.status)).toBeGreaterThanOrEqual(
              healthSeverity(s.health.status),
            );
          }
        },
      ),
    );
  });

  it('does not depend on the order of the signals', () => {
    fc.assert(
      fc.property(
        fc
          .array(signalArb, { maxLength: 10 })
          .chain(signals =>
            fc.tuple(
              fc.constant(signals),
              fc.shuffledSubarray(signals, { minLength: signals.length }),
            ),
          ),
        ([signals, shuffled]) => {
          expect(rollupHealth(shuffled, NOW).health.status).toBe(
            rollupHealth(signals, NOW).health.status,
          );
        },
      ),
    );
  });

  it('lets an event weigh less, never more, as it ages', () => {
    fc.assert(
      fc.property(
        signalArb,
        fc.integer({ min: 0, max: 2 * EVENT_MEMORY_MS }),
        fc.integer({ min: 0, max: EVENT_MEMORY_MS }),
        (signal, at, later) => {
          const before = weighSignal({ ...signal, event: true }, NOW + at);
          const after = weighSignal(
            { ...signal, event: true },
            NOW + at + later,
          );
          const severity = (h: typeof before) =>
            h ? healthSeverity(h.status) : -1;
          expect(severity(after)).toBeLessThanOrEqual(severity(before));
        },
      ),
    );
  });

  it('sorts signals worst first by what they weigh now', () => {
    fc.assert(
      fc.property(fc.array(signalArb, { maxLength: 12 }), signals => {
        const sorted = sortSignals(signals, NOW);
        expect(sorted).toHaveLength(signals.length);
        const severities = sorted.map(s => {
          const h = weighSignal(s, NOW);
          return h ? healthSeverity(h.status) : -1;
        });
        expect([...severities].sort((a, b) => b - a)).toEqual(severities);
      }),
    );
  });
});

describe('entityRollup', () => {
  it('puts the worst source first and names the deciding signal', () => {
    const workloads = sourceResult(
      { id: 'workloads', title: 'Workloads' },
      { signals: [healthyPod, crashLoop] },
      NOW,
    );
    const jobs = sourceResult(
      { id: 'jobs', title: 'Jobs' },
      { signals: [] },
      NOW,
    );
    const broken = sourceResult(
      { id: 'ci', title: 'CI runs' },
      { error: 'connect ECONNREFUSED' },
      NOW,
    );
    expect(workloads.signals[0]).toBe(crashLoop);
    expect(jobs.health).toMatchObject({
      status: 'Healthy',
      reason: 'NoSignals',
    });
    expect(broken).toMatchObject({
      health: {
        status: 'Unknown',
        message: 'CI runs could not answer: connect ECONNREFUSED',
      },
      signals: [],
      error: 'connect ECONNREFUSED',
    });

    const rollup = entityRollup(
      'component:default/payments-api',
      [jobs, broken, workloads],
      NOW,
    );
    expect(rollup.sources.map(s => s.id)).toEqual(['workloads', 'ci', 'jobs']);
    expect(rollup.health.status).toBe('Degraded');
    expect(rollup.cause).toBe(crashLoop);
    expect(rollup.computedAt).toBe('2026-12-05T12:00:00.000Z');

    // Without the crash loop, the failed source decides: it is not known.
    const quiet = entityRollup(
      'component:default/payments-api',
      [jobs, broken],
      NOW,
    );
    expect(quiet.health).toMatchObject({
      status: 'Unknown',
      message:
        'Unknown because CI runs: CI runs could not answer: connect ECONNREFUSED',
    });
  });

  it("rolls members up worst first, the worst member's own cause deciding", () => {
    const rollup = entityRollup('system:default/payments', [], NOW, [
      {
        entityRef: 'component:default/payments-worker',
        health: { status: 'Healthy' },
      },
      {
        entityRef: 'component:default/payments-api',
        health: rollupHealth([crashLoop], NOW).health,
        cause: crashLoop,
      },
    ]);
    expect(rollup.members!.map(m => m.entityRef)).toEqual([
      'component:default/payments-api',
      'component:default/payments-worker',
    ]);
    expect(rollup.health).toMatchObject({
      status: 'Degraded',
      message:
        'Degraded because component:default/payments-api: Pod payments-api-x: CrashLoopBackOff (14 restarts)',
    });
    expect(rollup.cause).toEqual({
      ...crashLoop,
      entityRef: 'component:default/payments-api',
    });
  });
});

it('keeps its periods in order', () => {
  expect(EVENT_FULL_WEIGHT_MS).toBeLessThan(EVENT_MEMORY_MS);
});
