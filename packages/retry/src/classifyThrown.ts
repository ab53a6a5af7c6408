import {
  type FloraError,
  FloraError as FloraErrorClass,
  FloraNetworkError,
  FloraTimeoutError,
  type HeadersLike,
  isFloraError,
  toFloraError,
} from '@flora-resilience/errors';

/**
 * Turns anything a non-got call threw into a `FloraError`:
 * - a `FloraError` as is;
 * - an `APIError` of FLORA's official SDK (duck-typed: numeric `status`, `headers`, `error` = parsed body)
 *   through `toFloraError`, so FLORA's codes, `request-id` and `retry-after` are read the same way;
 * - the SDK's `APIConnectionTimeoutError` / `APIConnectionError` (by `name`) as timeout / network;
 * - anything else as a non-retryable `unknown` failure (pass `classify` to `withFloraRetry` to say otherwise).
 */
export function classifyThrown(
  thrown: unknown,
  request: { readonly method?: string | undefined; readonly url?: string | undefined } = {},
): FloraError {
  if (isFloraError(thrown)) return thrown;
  const e = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as {
    name?: unknown;
    status?: unknown;
    headers?: unknown;
    error?: unknown;
    message?: unknown;
    code?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : String(thrown);
  if (name === 'APIConnectionTimeoutError') {
    return new FloraTimeoutError({
      code: 'attempt_timeout',
      message: `The attempt timed out: ${message}`,
      category: 'timeout',
      retryable: true,
      hint: 'One attempt ran past its timeout: retried with backoff; a POST only with an idempotency key.',
      method: request.method,
      url: request.url,
      cause: thrown,
    });
  }
  if (name === 'APIConnectionError' || (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code))) {
    return new FloraNetworkError({
      code: 'network_error',
      message: `No response from FLORA: ${message}`,
      category: 'network',
      retryable: true,
      hint: 'No response arrived (connection refused or reset, DNS failure): safe to retry a GET; retry a POST only with an idempotency key.',
      systemCode: typeof e.code === 'string' ? e.code : undefined,
      method: request.method,
      url: request.url,
      cause: thrown,
    });
  }
  if (typeof e.status === 'number' && Number.isInteger(e.status) && e.status >= 100 && e.status <= 999) {
    return toFloraError({
      status: e.status,
      headers: typeof e.headers === 'object' && e.headers !== null ? (e.headers as HeadersLike) : undefined,
      body: e.error,
      method: request.method,
      url: request.url,
      cause: thrown,
    });
  }
  return new FloraErrorClass({
    code: 'unexpected_error',
    message: `The call failed with an error that is not a FLORA failure: ${message}`,
    category: 'unknown',
    retryable: false,
    hint: 'Not a FLORA failure (a bug or a local error): see `cause`. Pass `classify` to withFloraRetry to retry it.',
    method: request.method,
    url: request.url,
    cause: thrown,
  });
}
