import type { AttemptOutcome } from './AttemptOutcome.js';

/**
 * Permission for one attempt, from `Breaker.acquire()`. Report how the attempt ended exactly once;
 * later reports are ignored. An attempt that will never be reported (lost) must be `release()`d, or a
 * half-open breaker whose probe it was stays half-open.
 */
export interface BreakerPermit {
  /** The breaker key. */
  readonly key: string;
  /** True when this attempt is the half-open breaker's probe: its outcome closes or re-opens it. */
  readonly probe: boolean;
  /** True once an outcome was reported. */
  readonly settled: boolean;
  /** FLORA answered: counted as a success; a successful probe closes the breaker. */
  success(): void;
  /** A transient failure: counted; a failed probe re-opens the breaker with a longer wait. */
  failure(error?: unknown): void;
  /** Counted as neither (caller error, 429, abort). A released probe re-opens the breaker for the same wait. */
  release(): void;
  /** One of the three above, by name. */
  record(outcome: AttemptOutcome, error?: unknown): void;
}
