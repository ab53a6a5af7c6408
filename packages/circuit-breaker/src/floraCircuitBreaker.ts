import type {
  AfterResponseHook,
  BeforeRequestHook,
  BeforeRetryHook,
  ExtendOptions,
  HandlerFunction,
} from 'got';
import type { BreakerRegistry } from './BreakerRegistry.js';
import type { BreakerRegistryOptions } from './BreakerRegistryOptions.js';
import { CallGuard, type CallResultLike } from './CallGuard.js';
import { createRegistry } from './createBreakerRegistry.js';

/** Where the breaker keeps its per-call state in got's `options.context`. */
export const BREAKER_CONTEXT_KEY = '@flora-resilience/circuit-breaker';

type Context = Record<string, unknown>;

/** What the handler uses of got's return value (a promise or, for `got.stream`, a Request stream). */
interface GotReturnLike extends CallResultLike {
  on?(event: 'request', listener: (request: never) => void): unknown;
  once?(event: string, listener: (...args: never[]) => void): unknown;
  then?(onFulfilled: () => void, onRejected: (error: unknown) => void): unknown;
}

function isRegistry(value: unknown): value is BreakerRegistry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.get === 'function' && typeof v.keyOf === 'function' && typeof v.onStateChange === 'function'
  );
}

function guardOf(context: Context): CallGuard | undefined {
  const guard = context[BREAKER_CONTEXT_KEY];
  return guard instanceof CallGuard ? guard : undefined;
}

/**
 * got adapter: every attempt (inside got's retry loop) asks its FLORA operation's breaker first. While
 * the breaker is open the attempt fails at once with `CircuitOpenError` (`code: 'circuit_open'`, `key`,
 * `retryAfterMs`) and no request is sent; the error is not retryable. Transient failures (5xx, network
 * errors, attempt timeouts) count against the operation; caller errors, 429 and aborts count as neither.
 *
 * Pass a registry you created with `createBreakerRegistry()` (so you can subscribe to it and dispose
 * it), or options to create one here. `got.extend(floraCircuitBreaker(registry))`.
 */
export function floraCircuitBreaker(
  registryOrOptions?: BreakerRegistry | BreakerRegistryOptions,
): ExtendOptions {
  const registry = isRegistry(registryOrOptions)
    ? registryOrOptions
    : createRegistry(registryOrOptions as BreakerRegistryOptions | undefined, 'floraCircuitBreaker');

  // One guard per logical call: handlers run once per call, hooks once per attempt.
  const handler: HandlerFunction = (options, next) => {
    if (registry.disposed) return next(options);
    const stream = options.isStream === true;
    const guard = new CallGuard(registry, options, stream);
    (options.context as Context)[BREAKER_CONTEXT_KEY] = guard;
    const result = next(options) as unknown as GotReturnLike;
    guard.result = result;
    result.on?.('request', (request: Parameters<CallGuard['watch']>[0]) => guard.watch(request, stream));
    if (typeof result.then === 'function') {
      result.then(
        () => guard.settle(undefined),
        (error: unknown) => guard.settle(error),
      );
    } else if (typeof result.once === 'function') {
      result.once('error', (error: unknown) => guard.settle(error));
      result.once('close', () => guard.settle(undefined));
    }
    return result as never;
  };

  const beforeRequest: BeforeRequestHook = (options) => {
    if (registry.disposed) return;
    const context = options.context as Context;
    let guard = guardOf(context);
    if (guard === undefined) {
      // The handler did not run (hooks copied onto another instance): hooks alone still guard.
      guard = new CallGuard(registry, options, false);
      context[BREAKER_CONTEXT_KEY] = guard;
    }
    guard.begin(options.method, options.url ?? '');
  };

  const afterResponse: AfterResponseHook = (response) => {
    guardOf(response.request.options.context as Context)?.response(response.statusCode);
    return response;
  };

  const beforeRetry: BeforeRetryHook = (error) => {
    guardOf(error.options.context as Context)?.settle(error);
  };

  return {
    handlers: [handler],
    hooks: { beforeRequest: [beforeRequest], afterResponse: [afterResponse], beforeRetry: [beforeRetry] },
  };
}
