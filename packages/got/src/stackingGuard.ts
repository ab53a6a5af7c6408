import type { BreakerRegistry } from '@flora-resilience/circuit-breaker';
import type { FloraMetrics } from '@flora-resilience/metrics';
import type { RequestIdLogger } from '@flora-resilience/request-id';
import type { RetryPolicy } from '@flora-resilience/retry';
import type { ExtendOptions, HandlerFunction } from 'got';

/** The live parts of one preset: observe or share them; `dispose()` ends the timers and listeners it created. */
export interface FloraParts {
  readonly retry: RetryPolicy | undefined;
  readonly breakers: BreakerRegistry | undefined;
  readonly metrics: FloraMetrics | undefined;
  dispose(): void;
}

const GUARD_KEY = '@flora-resilience/got';

function warn(logger: RequestIdLogger | undefined, obj: Record<string, unknown>, msg: string): void {
  try {
    logger?.warn?.(obj, msg);
  } catch {
    // A logger must never break a call.
  }
}

/**
 * A handler, first in the preset, that notices when retries could multiply:
 * - two FLORA presets on one instance (each would mint keys, keep deadlines and retry);
 * - the preset's retry policy overridden by a later `extend` (got's `calculateDelay` is no longer ours);
 * - with the preset's retry off, got's own retry switched back on by a later `extend`.
 * Each is reported once per preset through the logger; calls go on unchanged.
 */
export function stackingGuard(
  parts: FloraParts,
  logger: RequestIdLogger | undefined,
  ourCalculateDelay: unknown,
): ExtendOptions {
  const warned = new Set<string>();
  const once = (kind: string, obj: Record<string, unknown>, msg: string) => {
    if (warned.has(kind)) return;
    warned.add(kind);
    warn(logger, { kind, ...obj }, msg);
  };
  const handler: HandlerFunction = (options, next) => {
    const context = options.context as Record<string, unknown>;
    const seen = context[GUARD_KEY];
    if (seen !== undefined && seen !== parts) {
      once(
        'stacked',
        {},
        'FLORA preset applied twice to one got instance: retries, keys and deadlines multiply; extend with floraPlugins() once',
      );
    } else {
      context[GUARD_KEY] = parts;
    }
    const retry = options.retry as { limit?: number; calculateDelay?: unknown };
    if (ourCalculateDelay !== undefined) {
      if (retry.calculateDelay !== ourCalculateDelay) {
        once(
          'retry_overridden',
          { limit: retry.limit },
          'got retry options were replaced after the FLORA preset: FLORA’s retry policy is not in charge',
        );
      }
    } else if ((retry.limit ?? 0) > 0) {
      once(
        'got_retry_active',
        { limit: retry.limit },
        'got’s own retry is active while the FLORA preset’s retry is off: an outer retry loop would multiply it',
      );
    }
    return next(options);
  };
  return { handlers: [handler] };
}
