import { LRUCache } from 'lru-cache';
import type { BreakerRegistry, BreakerRegistryStats } from './BreakerRegistry.js';
import type { BreakerRegistryOptions } from './BreakerRegistryOptions.js';
import type { BreakerState } from './BreakerState.js';
import type { BreakerStateChange } from './BreakerStateChange.js';
import { BucketRotation } from './BucketRotation.js';
import type { Disposable } from './Disposable.js';
import { Listeners } from './Listeners.js';
import { OpossumBreaker } from './OpossumBreaker.js';
import { resolveBreakerOptions } from './resolveBreakerOptions.js';

const WHERE = 'createBreakerRegistry';

/**
 * A registry of opossum breakers keyed per FLORA operation. Bounded by an LRU (`maxKeys`): the least
 * recently used breaker is shut down when a new key needs room; if it was open or half-open, a last
 * state change `{ to: 'closed', evicted: true }` is emitted, because that key's next call starts from a
 * fresh closed breaker. Every breaker's rolling window turns on ONE shared timer.
 */
export function createBreakerRegistry(options?: BreakerRegistryOptions): BreakerRegistry {
  return createRegistry(options, WHERE);
}

/** `createBreakerRegistry` with the public entry point's name for its validation messages. */
export function createRegistry(options: BreakerRegistryOptions | undefined, where: string): BreakerRegistry {
  const resolved = resolveBreakerOptions(options, where);
  const listeners = new Listeners<BreakerStateChange>();
  const rotation = new BucketRotation(resolved.rollingWindowMs / resolved.rollingBuckets);
  let disposed = false;
  let rejected = 0;
  let evicted = 0;

  const emit = (event: BreakerStateChange): void => {
    if (listeners.size > 0) listeners.emit(event);
  };

  const cache = new LRUCache<string, OpossumBreaker>({
    max: resolved.maxKeys,
    dispose: (breaker, key, reason) => {
      const last = breaker.state;
      breaker.dispose();
      if (reason === 'evict') {
        evicted++;
        if (last !== 'closed') emit({ key, from: last, to: 'closed', time: Date.now(), evicted: true });
      }
    },
  });

  const keyOf = (method: string, url: string | URL): string => {
    const key = resolved.keyOf(method, url);
    if (typeof key !== 'string' || key === '') {
      throw new TypeError(
        `${where}: options.keyOf must return a non-empty string, got ${key === '' ? 'an empty string' : typeof key} for ${String(method)} ${String(url)}`,
      );
    }
    return key;
  };

  const registry: BreakerRegistry = {
    options: resolved,
    get size() {
      return cache.size;
    },
    get disposed() {
      return disposed;
    },
    keyOf,
    get(key) {
      if (disposed) throw new Error(`BreakerRegistry.get('${String(key)}'): the registry was disposed`);
      if (typeof key !== 'string' || key === '') {
        throw new TypeError(
          `BreakerRegistry.get: key must be a non-empty string, got ${JSON.stringify(key) ?? typeof key}`,
        );
      }
      const existing = cache.get(key);
      if (existing !== undefined) return existing;
      const breaker = new OpossumBreaker(key, resolved, rotation.emitter, {
        onChange: (from, to) => emit({ key, from, to, time: Date.now() }),
        onReject: () => {
          rejected++;
        },
      });
      cache.set(key, breaker);
      rotation.start();
      return breaker;
    },
    states() {
      const map = new Map<string, BreakerState>();
      for (const [key, breaker] of cache.entries()) map.set(key, breaker.state);
      return map;
    },
    onStateChange(listener): Disposable {
      return listeners.subscribe(listener, 'BreakerRegistry.onStateChange');
    },
    stats(): BreakerRegistryStats {
      let open = 0;
      let halfOpen = 0;
      for (const breaker of cache.values()) {
        if (breaker.state === 'open') open++;
        else if (breaker.state === 'half_open') halfOpen++;
      }
      return {
        size: cache.size,
        maxKeys: resolved.maxKeys,
        closed: cache.size - open - halfOpen,
        open,
        halfOpen,
        rejected,
        evicted,
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      listeners.clear();
      cache.clear();
      rotation.dispose();
    },
  };

  return registry;
}
