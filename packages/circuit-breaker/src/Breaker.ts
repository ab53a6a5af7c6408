import type { BreakerPermit } from './BreakerPermit.js';
import type { BreakerState } from './BreakerState.js';

/** Where an attempt goes, stamped on the `CircuitOpenError` when it is refused. */
export interface AttemptTarget {
  readonly method?: string | undefined;
  readonly url?: string | URL | undefined;
}

/** Counts of one breaker's rolling window, and its backoff position. */
export interface BreakerStats {
  readonly key: string;
  readonly state: BreakerState;
  /** Attempts admitted in the window whose outcome counts or is still pending (neutral ones are taken back). */
  readonly admitted: number;
  readonly successes: number;
  readonly failures: number;
  /** Attempts refused in the window (open, or half-open with the probe in flight). */
  readonly rejected: number;
  /** `failures / admitted` in %, 0 when nothing was admitted. */
  readonly failurePercentage: number;
  /** Failed probes since the breaker last closed (the backoff exponent). */
  readonly failedProbes: number;
  /** Ms until the next probe may go; 0 when closed. */
  readonly retryAfterMs: number;
}

/** The breaker of one key (one FLORA operation), backed by an opossum `CircuitBreaker`. */
export interface Breaker {
  readonly key: string;
  readonly state: BreakerState;
  /**
   * Asks to send one attempt. Returns a permit to report the outcome on; throws `CircuitOpenError`
   * (`code: 'circuit_open'`, `key`, `retryAfterMs`) when the breaker is open or its probe is in flight.
   */
  acquire(target?: AttemptTarget): BreakerPermit;
  /**
   * Ms until the breaker lets an attempt through: the rest of the open period; while a probe is in
   * flight, the wait that follows if it fails; 0 when closed or ready to probe.
   */
  retryAfterMs(): number;
  stats(): BreakerStats;
}
