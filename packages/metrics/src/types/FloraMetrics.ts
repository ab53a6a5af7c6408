import type { Counter, Gauge, Histogram } from 'prom-client';
import type { BreakerState } from '../BreakerState.js';
import type { MetricsRegistry } from '../MetricsRegistry.js';
import type { FailureLike } from '../outcomeLabels.js';
import type { ResolvedMetricsOptions } from '../resolveMetricsOptions.js';

export type OutcomeLabelName = 'method' | 'operation' | 'outcome' | 'status' | 'code' | 'category';
export type DurationLabelName = 'method' | 'operation' | 'outcome';

/** The prom-client collectors, by role. Names carry the prefix (default `flora_client_`). */
export interface FloraCollectors {
  /** `<prefix>calls_total{method,operation,outcome,status,code,category}`: logical calls, once each. */
  readonly calls: Counter<OutcomeLabelName>;
  /** `<prefix>attempts_total{method,operation,outcome,status,code,category}`: attempts sent. */
  readonly attempts: Counter<OutcomeLabelName>;
  /** `<prefix>retries_total{operation,reason}`. */
  readonly retries: Counter<'operation' | 'reason'>;
  /** `<prefix>retry_give_ups_total{operation,reason}` (from `instrumentRetry`'s `onGiveUp`). */
  readonly giveUps: Counter<'operation' | 'reason'>;
  /** `<prefix>circuit_transitions_total{operation,from,to}`. */
  readonly circuitTransitions: Counter<'operation' | 'from' | 'to'>;
  /** `<prefix>circuit_state{operation}`: 0 closed, 1 half-open, 2 open. */
  readonly circuitState: Gauge<'operation'>;
  /** `<prefix>runs_failed_total{code,recovery,moderated}`. */
  readonly runsFailed: Counter<'code' | 'recovery' | 'moderated'>;
  /** `<prefix>call_duration_seconds{method,operation,outcome}`: whole call, waits included. */
  readonly callDuration: Histogram<DurationLabelName>;
  /** `<prefix>attempt_duration_seconds{method,operation,outcome}`: one attempt, from send to outcome. */
  readonly attemptDuration: Histogram<DurationLabelName>;
  /** `<prefix>in_flight_calls{method,operation}`. */
  readonly inFlight: Gauge<'method' | 'operation'>;
}

/** One finished call or attempt, for {@link FloraMetrics.recordCall} / {@link FloraMetrics.recordAttempt}. */
export interface Observation {
  /** HTTP method; anything non-standard is `_OTHER`. */
  readonly method: string;
  /** Route template (`floraOperation(method, url)`); capped by `maxOperations`. */
  readonly operation: string;
  readonly durationMs: number;
  /** HTTP status of the final response, if there was one. */
  readonly status?: number | undefined;
  /** The failure (a `FloraError` or anything with `status`/`code`/`category`); absent on success. */
  readonly error?: FailureLike | undefined;
}

/**
 * The metrics of FLORA calls in one registry, and the recorder methods the got adapter (and any other
 * HTTP client) uses. Create with `createFloraMetrics`; plug into got with `floraMetrics(metrics)`.
 */
export interface FloraMetrics {
  readonly registry: MetricsRegistry;
  readonly options: ResolvedMetricsOptions;
  readonly collectors: FloraCollectors;
  /** The bounded `operation` label for `method` + `url` (route template, then the `maxOperations` cap). */
  operationOf(method: string | undefined, url: string | URL): string;
  /** The bounded label for an operation name (the `maxOperations` cap). */
  operationLabel(operation: string): string;
  /** Counts one logical call and observes its duration. */
  recordCall(observation: Observation): void;
  /** Counts one attempt and observes its duration. */
  recordAttempt(observation: Observation): void;
  /** Marks a call in flight; the returned function (idempotent) marks it done. */
  startCall(method: string, operation: string): () => void;
  /** Counts a retry. `reason` is an error category; anything else is `_OTHER`. */
  recordRetry(event: { readonly operation: string; readonly reason: string }): void;
  /** Counts a give-up. `reason` is one of `GIVE_UP_REASONS`; anything else is `_OTHER`. */
  recordGiveUp(event: { readonly operation: string; readonly reason: string }): void;
  /** Sets the breaker state gauge for a breaker key (keys folded into `_OTHER` show their worst state). */
  recordBreakerState(key: string, state: BreakerState): void;
  /** Counts a breaker transition and sets the gauge to `to`. */
  recordBreakerTransition(event: { readonly key: string; readonly from: string; readonly to: string }): void;
  /**
   * Counts a failed run (`status: "failed"`, any casing or vocabulary) once per run id; returns whether
   * this call counted it. Runs that did not fail, and failed runs already counted, return `false`.
   */
  observeRun(run: unknown): boolean;
}
