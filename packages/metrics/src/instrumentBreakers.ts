import type { BreakerEventSource } from './BreakerEventSource.js';
import { isBreakerState } from './BreakerState.js';
import type { Disposable } from './Disposable.js';
import type { FloraMetrics } from './types/FloraMetrics.js';

/**
 * Follows a breaker registry: `circuit_transitions_total{operation,from,to}` on every state change, and
 * `circuit_state{operation}` (0 closed, 1 half-open, 2 open) kept current, seeded from `states()` when
 * the source has it. The breaker key becomes the `operation` label (capped like every operation).
 * Returns a disposable that unsubscribes (idempotent); the gauge keeps its last values.
 */
export function instrumentBreakers(metrics: FloraMetrics, source: BreakerEventSource): Disposable {
  if (typeof source !== 'object' || source === null || typeof source.onStateChange !== 'function') {
    throw new TypeError(
      `instrumentBreakers: source must have an onStateChange(listener) method (a @flora-resilience/circuit-breaker registry), got ${source === null ? 'null' : typeof source}`,
    );
  }
  if (source.states !== undefined && typeof source.states !== 'function') {
    throw new TypeError(
      `instrumentBreakers: source.states must be a function when present, got ${typeof source.states}`,
    );
  }
  const subscription = source.onStateChange((event) => {
    metrics.recordBreakerTransition({
      key: String(event.key),
      from: String(event.from),
      to: String(event.to),
    });
  });
  if (
    typeof subscription !== 'object' ||
    subscription === null ||
    typeof subscription.dispose !== 'function'
  ) {
    throw new TypeError('instrumentBreakers: source.onStateChange must return { dispose() }');
  }
  if (source.states !== undefined) {
    const current = source.states();
    for (const entry of current as Iterable<readonly [unknown, unknown]>) {
      const [key, state] = entry;
      if (typeof key === 'string' && isBreakerState(state)) metrics.recordBreakerState(key, state);
    }
  }
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      subscription.dispose();
    },
  };
}
