import { internalsOf } from './createFloraMetrics.js';
import type { Disposable } from './Disposable.js';
import type { RetryEventSource } from './RetryEventSource.js';
import type { FloraMetrics } from './types/FloraMetrics.js';

const isDisposable = (v: unknown): v is Disposable =>
  typeof v === 'object' && v !== null && typeof (v as Disposable).dispose === 'function';

/**
 * Counts a retry policy's decisions: `retries_total{operation,reason}` on every `onRetry`, and
 * `retry_give_ups_total{operation,reason}` on every `onGiveUp` (when the source has it). While at least
 * one source is attached, the got adapter stops counting retries from got's `beforeRetry` hook, so a
 * retry is never counted twice. Returns a disposable that unsubscribes (idempotent).
 */
export function instrumentRetry(metrics: FloraMetrics, source: RetryEventSource): Disposable {
  const internals = internalsOf(metrics);
  if (typeof source !== 'object' || source === null || typeof source.onRetry !== 'function') {
    throw new TypeError(
      `instrumentRetry: source must have an onRetry(listener) method (a @flora-resilience/retry policy), got ${source === null ? 'null' : typeof source}`,
    );
  }
  if (source.onGiveUp !== undefined && typeof source.onGiveUp !== 'function') {
    throw new TypeError(
      `instrumentRetry: source.onGiveUp must be a function when present, got ${typeof source.onGiveUp}`,
    );
  }
  const subscriptions: Disposable[] = [];
  const onRetry = source.onRetry((event) => {
    metrics.recordRetry({ operation: String(event.operation), reason: String(event.reason) });
  });
  if (!isDisposable(onRetry))
    throw new TypeError('instrumentRetry: source.onRetry must return { dispose() }');
  subscriptions.push(onRetry);
  if (source.onGiveUp !== undefined) {
    const onGiveUp = source.onGiveUp((event) => {
      metrics.recordGiveUp({ operation: String(event.operation), reason: String(event.reason) });
    });
    if (!isDisposable(onGiveUp)) {
      onRetry.dispose();
      throw new TypeError('instrumentRetry: source.onGiveUp must return { dispose() }');
    }
    subscriptions.push(onGiveUp);
  }
  internals.retrySources++;
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      internals.retrySources--;
      for (const s of subscriptions) s.dispose();
    },
  };
}
