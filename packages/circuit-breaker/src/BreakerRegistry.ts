import type { Breaker } from './Breaker.js';
import type { BreakerState } from './BreakerState.js';
import type { BreakerStateChange } from './BreakerStateChange.js';
import type { Disposable } from './Disposable.js';
import type { ResolvedBreakerOptions } from './resolveBreakerOptions.js';

/** Counts over a whole registry. */
export interface BreakerRegistryStats {
  /** Breakers held now. */
  readonly size: number;
  readonly maxKeys: number;
  readonly closed: number;
  readonly open: number;
  readonly halfOpen: number;
  /** Attempts refused with `CircuitOpenError` since the registry was created. */
  readonly rejected: number;
  /** Breakers dropped by the LRU bound since the registry was created. */
  readonly evicted: number;
}

/** Breakers keyed per FLORA operation, bounded (LRU), sharing one rolling-window timer. */
export interface BreakerRegistry extends Disposable {
  /** The options in force (defaults applied). */
  readonly options: ResolvedBreakerOptions;
  /** Breakers held now. */
  readonly size: number;
  /** True after `dispose()`. */
  readonly disposed: boolean;
  /** The key of an attempt: the `keyOf` option (default: method + route template, slugs kept). */
  keyOf(method: string, url: string | URL): string;
  /** The breaker of `key`, created closed on first use (and marked most recently used). */
  get(key: string): Breaker;
  /** Current state per key, without touching recency. */
  states(): ReadonlyMap<string, BreakerState>;
  /** Every state change of every breaker of this registry. */
  onStateChange(listener: (event: BreakerStateChange) => void): Disposable;
  stats(): BreakerRegistryStats;
  /**
   * Shuts every breaker down (opossum reset timers, listeners), stops the shared window timer and drops
   * every subscription. Idempotent; no event is emitted. Afterwards `get()` throws and the got adapter
   * lets attempts through unguarded.
   */
  dispose(): void;
}
