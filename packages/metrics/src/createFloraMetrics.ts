import { classifyRun, floraOperation } from '@flora-resilience/errors';
import { BREAKER_STATE_VALUES, type BreakerState, isBreakerState } from './BreakerState.js';
import { categoryLabel } from './categoryLabel.js';
import { getOrCreateMetric } from './getOrCreateMetric.js';
import { methodLabel } from './methodLabel.js';
import { OperationLabeler } from './OperationLabeler.js';
import { OTHER_LABEL } from './OTHER_LABEL.js';
import { outcomeLabels } from './outcomeLabels.js';
import { RecentIds } from './RecentIds.js';
import { GIVE_UP_REASONS } from './RetryEventSource.js';
import { type FloraMetricsOptions, resolveMetricsOptions } from './resolveMetricsOptions.js';
import { runCodeLabel } from './runCodeLabel.js';
import type { FloraCollectors, FloraMetrics, Observation } from './types/FloraMetrics.js';

const BRAND = Symbol.for('@flora-resilience/metrics.FloraMetrics');
const GIVE_UPS: ReadonlySet<string> = new Set(GIVE_UP_REASONS);
/** How many failed run ids are remembered to count each failed run once. */
const RUN_MEMORY = 10_000;

/** Instance state that `instrumentRetry` shares with the got adapter (not part of the public object). */
interface Internals {
  /** Retry event sources attached: while > 0 the got adapter leaves retry counting to them. */
  retrySources: number;
}
const INTERNALS = new WeakMap<FloraMetrics, Internals>();

/** @internal */
export function internalsOf(metrics: FloraMetrics): Internals {
  const internals = INTERNALS.get(metrics);
  if (internals === undefined) {
    throw new TypeError('expected a FloraMetrics created by createFloraMetrics()');
  }
  return internals;
}

export function isFloraMetrics(value: unknown): value is FloraMetrics {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Registers (get-or-create) the FLORA client collectors into `options.registry` and returns the recorder.
 * Two clients sharing a registry share the collectors; nothing is global.
 */
export function createFloraMetrics(options: FloraMetricsOptions): FloraMetrics {
  const resolved = resolveMetricsOptions(options);
  const { registry, prefix, buckets } = resolved;
  const outcomeNames = ['method', 'operation', 'outcome', 'status', 'code', 'category'] as const;
  const durationNames = ['method', 'operation', 'outcome'] as const;
  const collectors: FloraCollectors = {
    calls: getOrCreateMetric(registry, {
      type: 'counter',
      name: `${prefix}calls_total`,
      help: 'FLORA API logical calls (retries included once), by outcome, final HTTP status and FLORA code.',
      labelNames: outcomeNames,
    }),
    attempts: getOrCreateMetric(registry, {
      type: 'counter',
      name: `${prefix}attempts_total`,
      help: 'FLORA API attempts sent (each retry is one more), by outcome, HTTP status and FLORA code.',
      labelNames: outcomeNames,
    }),
    retries: getOrCreateMetric(registry, {
      type: 'counter',
      name: `${prefix}retries_total`,
      help: 'Retries of FLORA API calls, by the failure category that caused them.',
      labelNames: ['operation', 'reason'] as const,
    }),
    giveUps: getOrCreateMetric(registry, {
      type: 'counter',
      name: `${prefix}retry_give_ups_total`,
      help: 'FLORA API calls the retry policy stopped retrying, by reason.',
      labelNames: ['operation', 'reason'] as const,
    }),
    circuitTransitions: getOrCreateMetric(registry, {
      type: 'counter',
      name: `${prefix}circuit_transitions_total`,
      help: 'Circuit breaker state transitions per FLORA operation.',
      labelNames: ['operation', 'from', 'to'] as const,
    }),
    circuitState: getOrCreateMetric(registry, {
      type: 'gauge',
      name: `${prefix}circuit_state`,
      help: 'Circuit breaker state per FLORA operation: 0 closed, 1 half-open, 2 open.',
      labelNames: ['operation'] as const,
    }),
    runsFailed: getOrCreateMetric(registry, {
      type: 'counter',
      name: `${prefix}runs_failed_total`,
      help: 'FLORA runs that ended with status failed, by run error code, recovery group and moderation.',
      labelNames: ['code', 'recovery', 'moderated'] as const,
    }),
    callDuration: getOrCreateMetric(registry, {
      type: 'histogram',
      name: `${prefix}call_duration_seconds`,
      help: 'Duration of FLORA API logical calls in seconds, retries and waits included.',
      labelNames: durationNames,
      buckets,
    }),
    attemptDuration: getOrCreateMetric(registry, {
      type: 'histogram',
      name: `${prefix}attempt_duration_seconds`,
      help: 'Duration of single FLORA API attempts in seconds, from send to outcome.',
      labelNames: durationNames,
      buckets,
    }),
    inFlight: getOrCreateMetric(registry, {
      type: 'gauge',
      name: `${prefix}in_flight_calls`,
      help: 'FLORA API logical calls in flight.',
      labelNames: ['method', 'operation'] as const,
    }),
  };

  const operations = new OperationLabeler(resolved.maxOperations);
  const failedRuns = new RecentIds(RUN_MEMORY);
  /** Breaker keys folded into `_OTHER`, with their state, so the `_OTHER` gauge shows the worst one. */
  const otherBreakers = new Map<string, BreakerState>();
  const otherCounts: Record<BreakerState, number> = { closed: 0, half_open: 0, open: 0 };

  const record = (
    counter: FloraCollectors['calls'],
    histogram: FloraCollectors['callDuration'],
    o: Observation,
  ): void => {
    const labels = outcomeLabels(o);
    const method = methodLabel(o.method);
    const operation = operations.label(o.operation);
    counter.inc({ method, operation, ...labels });
    if (Number.isFinite(o.durationMs) && o.durationMs >= 0) {
      histogram.observe({ method, operation, outcome: labels.outcome }, o.durationMs / 1000);
    }
  };

  const setBreakerGauge = (key: string, state: BreakerState): void => {
    const operation = operations.label(key);
    if (operation !== OTHER_LABEL) {
      collectors.circuitState.set({ operation }, BREAKER_STATE_VALUES[state]);
      return;
    }
    const previous = otherBreakers.get(key);
    if (previous !== undefined) otherCounts[previous]--;
    otherBreakers.set(key, state);
    otherCounts[state]++;
    const worst: BreakerState =
      otherCounts.open > 0 ? 'open' : otherCounts.half_open > 0 ? 'half_open' : 'closed';
    collectors.circuitState.set({ operation }, BREAKER_STATE_VALUES[worst]);
  };

  const metrics: FloraMetrics = {
    registry,
    options: resolved,
    collectors,
    operationOf: (method, url) =>
      operations.label(floraOperation(method, url, { keepSlugs: resolved.keepSlugs })),
    operationLabel: (operation) => operations.label(operation),
    recordCall: (o) => record(collectors.calls, collectors.callDuration, o),
    recordAttempt: (o) => record(collectors.attempts, collectors.attemptDuration, o),
    startCall: (method, operation) => {
      const labels = { method: methodLabel(method), operation: operations.label(operation) };
      collectors.inFlight.inc(labels);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        collectors.inFlight.dec(labels);
      };
    },
    recordRetry: ({ operation, reason }) => {
      const label = categoryLabel(reason);
      collectors.retries.inc({
        operation: operations.label(operation),
        reason: label === 'unknown' && reason !== 'unknown' ? OTHER_LABEL : label,
      });
    },
    recordGiveUp: ({ operation, reason }) => {
      collectors.giveUps.inc({
        operation: operations.label(operation),
        reason: GIVE_UPS.has(reason) ? reason : OTHER_LABEL,
      });
    },
    recordBreakerState: setBreakerGauge,
    recordBreakerTransition: ({ key, from, to }) => {
      collectors.circuitTransitions.inc({
        operation: operations.label(key),
        from: isBreakerState(from) ? from : OTHER_LABEL,
        to: isBreakerState(to) ? to : OTHER_LABEL,
      });
      if (isBreakerState(to)) setBreakerGauge(key, to);
    },
    observeRun: (run) => {
      const failure = classifyRun(run);
      if (failure === undefined) return false;
      if (failure.runId !== undefined && !failedRuns.add(failure.runId)) return false;
      collectors.runsFailed.inc({
        code: failure.code === 'run_failed' ? 'none' : runCodeLabel(failure.code),
        recovery: failure.recovery,
        moderated: failure.moderated ? 'true' : 'false',
      });
      return true;
    },
  };
  Object.defineProperty(metrics, BRAND, { value: true });
  INTERNALS.set(metrics, { retrySources: 0 });
  return Object.freeze(metrics);
}
