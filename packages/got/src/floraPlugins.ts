import { floraCircuitBreaker } from '@flora-resilience/circuit-breaker';
import { floraErrors } from '@flora-resilience/errors';
import { floraMetrics, instrumentBreakers, instrumentRetry } from '@flora-resilience/metrics';
import { floraRequestId } from '@flora-resilience/request-id';
import { floraRetry } from '@flora-resilience/retry';
import type { ExtendOptions } from 'got';
import type { FloraClientOptions } from './FloraClientOptions.js';
import { fusePlugins } from './fusePlugins.js';
import { resolveClientOptions } from './resolveClientOptions.js';
import { type FloraParts, stackingGuard } from './stackingGuard.js';

/** The preset's plugins, in pipeline order, and the live parts behind them. */
export interface FloraPluginList extends ReadonlyArray<ExtendOptions> {
  /** The retry policy, breaker registry and metrics in use (to observe or share them), and `dispose()`. */
  readonly flora: FloraParts;
}

/**
 * The preset as a list of got configs, for an instance you already have:
 * `existing.extend(...floraPlugins({ apiKey }))`. Order (design.md, outer to inner): base URL and auth,
 * errors, deadline + idempotency key + retry, circuit breaker, attempt timeout, then the observers
 * (request-id log lines, metrics), which never change the outcome.
 */
export function floraPlugins(options: FloraClientOptions = {}): FloraPluginList {
  if (options !== null && typeof options === 'object' && 'got' in options) {
    throw new TypeError(
      'floraPlugins: options.got is for createFloraClient; extend your instance with the list instead',
    );
  }
  return buildPlugins(options, 'floraPlugins');
}

/** The shared body of `floraPlugins` and `createFloraClient` (`caller` names the entry point in errors). */
export function buildPlugins(options: FloraClientOptions, caller: string): FloraPluginList {
  const o = resolveClientOptions(options, caller);
  const logger = options.logger;
  const disposables: { dispose(): void }[] = [...o.owned];

  const requestIdPlugin =
    options.requestId === false
      ? undefined
      : floraRequestId({
          ...(options.requestId ?? {}),
          ...(logger ? { logger } : {}),
          ...(o.workspaceId ? { workspaceId: o.workspaceId } : {}),
          ...(o.retry ? { retryEvents: o.retry } : {}),
        });
  if (requestIdPlugin && typeof (requestIdPlugin as { dispose?: unknown }).dispose === 'function') {
    disposables.push(requestIdPlugin as unknown as { dispose(): void });
  }
  if (o.metrics && o.retry) disposables.push(instrumentRetry(o.metrics, o.retry));
  if (o.metrics && o.breakers) disposables.push(instrumentBreakers(o.metrics, o.breakers));

  let disposed = false;
  const parts: FloraParts = {
    retry: o.retry,
    breakers: o.breakers,
    metrics: o.metrics,
    dispose() {
      if (disposed) return;
      disposed = true;
      // Observers first, then the parts they observe.
      for (const d of [...disposables].reverse()) d.dispose();
    },
  };

  const retryPlugin: ExtendOptions = o.retry ? floraRetry(o.retry) : { retry: { limit: 0 } };
  const ourCalculateDelay = o.retry
    ? (retryPlugin.retry as { calculateDelay?: unknown } | undefined)?.calculateDelay
    : undefined;
  // One handler and one hook per kind for the whole pipeline (fusePlugins): got charges per hook, per call.
  const list: ExtendOptions[] = fusePlugins([
    {
      prefixUrl: o.baseUrl,
      headers: { authorization: `Bearer ${o.apiKey}`, accept: 'application/json' },
      ...stackingGuard(parts, logger, ourCalculateDelay),
    },
    floraErrors(o.workspaceId ? { workspaceId: o.workspaceId } : {}),
    retryPlugin,
    ...(o.breakers ? [floraCircuitBreaker(o.breakers)] : []),
    ...(o.timeoutMs === false ? [] : [{ timeout: { request: o.timeoutMs } }]),
    ...(requestIdPlugin ? [requestIdPlugin] : []),
    ...(o.metrics ? [floraMetrics(o.metrics)] : []),
  ]);
  return Object.defineProperty(list, 'flora', {
    value: parts,
    enumerable: false,
  }) as unknown as FloraPluginList;
}
