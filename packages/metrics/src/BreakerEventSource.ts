import type { BreakerState } from './BreakerState.js';
import type { Disposable } from './Disposable.js';

/** A breaker changed state. */
export interface BreakerStateChange {
  /** The breaker key: a FLORA operation such as `POST /techniques/thumbnail-v3/runs`. */
  readonly key: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  /** Epoch ms. */
  readonly time: number;
}

/**
 * What `instrumentBreakers` needs from a breaker registry (the `@flora-resilience/circuit-breaker`
 * registry has this shape; typed here so this package does not depend on it). `states()` is optional:
 * when present, the current states are read once at subscription so the gauge starts right.
 */
export interface BreakerEventSource {
  onStateChange(listener: (event: BreakerStateChange) => void): Disposable;
  states?(): ReadonlyMap<string, BreakerState> | Iterable<readonly [string, BreakerState]>;
}
