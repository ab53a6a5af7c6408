import type { Disposable } from './retryEvents.js';

/** A circuit breaker's states. A string-literal union, not an enum. */
export const BREAKER_STATES = Object.freeze(['closed', 'open', 'half_open'] as const);

export type BreakerState = (typeof BREAKER_STATES)[number];

/** A breaker changed state (the breaker package emits it; the metrics package consumes it). */
export interface BreakerStateChange {
  /** The breaker key: a FLORA operation such as `POST /techniques/thumbnail-v3/runs`. */
  readonly key: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  /** When it changed (epoch ms). */
  readonly time: number;
  /**
   * `true` on the last event of a breaker the registry forgot (LRU eviction) while it was open or
   * half-open: the key's next call starts from a fresh, closed breaker, so its state is `closed` now.
   */
  readonly evicted?: true;
}

/** Anything that reports breaker state changes (the breaker package's registry). `states()` is optional. */
export interface BreakerEventSource {
  onStateChange(listener: (event: BreakerStateChange) => void): Disposable;
  states?(): ReadonlyMap<string, BreakerState> | Iterable<readonly [string, BreakerState]>;
}
