import type { BreakerState } from './BreakerState.js';

/** A breaker changed state. The shape the metrics package reads (structurally). */
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
