import { CALL_RECORD_KEY, type FloraCallRecord } from './callRecord.js';
import { NETWORK_ERROR_CODES } from './errorCodes.js';
import { FloraAbortError } from './FloraAbortError.js';
import { type FloraError, isFloraError } from './FloraError.js';
import { FloraNetworkError } from './FloraNetworkError.js';
import { FloraTimeoutError } from './FloraTimeoutError.js';
import { readRequestId } from './headerValue.js';
import { toFloraError } from './toFloraError.js';

/** The parts of got's `RequestError` this reads: duck-typed, so any got 14–16 (or a copy) works. */
interface GotErrorLike {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly cause?: unknown;
  readonly event?: string;
  readonly options?: {
    readonly method?: string;
    readonly url?: string | URL;
    readonly context?: Record<string, unknown>;
    readonly timeout?: { readonly request?: number };
  };
  readonly response?: {
    readonly statusCode?: number;
    readonly headers?: Record<string, string | string[] | undefined>;
    readonly rawBody?: Uint8Array;
    readonly body?: unknown;
  };
  readonly request?: { readonly retryCount?: number };
}

const MEMO = Symbol.for('@flora-resilience/errors.converted');

const NETWORK_CODES = NETWORK_ERROR_CODES;

const NETWORK_HINT =
  'No response arrived (connection refused or reset, DNS failure): safe to retry a GET; retry a POST only with an idempotency key.';

function enrich(error: FloraError, source: GotErrorLike): FloraError {
  const record = source.options?.context?.[CALL_RECORD_KEY] as FloraCallRecord | undefined;
  const ids = [...(record?.requestIds ?? [])];
  const last = readRequestId(source.response?.headers);
  if (last !== undefined && ids.at(-1) !== last) ids.push(last);
  for (const id of error.requestIds) if (!ids.includes(id)) ids.push(id);
  if (ids.length > 0) {
    error.requestIds = ids;
    error.requestId = ids.at(-1);
  }
  const attempts = Math.max(record?.attempts ?? 0, (source.request?.retryCount ?? 0) + 1, error.attempts);
  error.attempts = attempts;
  if (typeof record?.workspaceId === 'string') error.workspaceId ??= record.workspaceId;
  return error;
}

function convert(e: GotErrorLike): FloraError {
  const method = e.options?.method;
  const url = e.options?.url;
  // An error thrown by one of our own hooks (circuit open, deadline) arrives wrapped by got.
  if (isFloraError(e.cause)) return e.cause;
  // Name-based families first: got keeps the PREVIOUS attempt's response on an error raised later
  // (an abort during a retry wait, a timeout or reset of the next attempt), so a status is only
  // trusted when the error itself is about that response.
  if (
    e.name === 'AbortError' ||
    e.name === 'CancelError' ||
    e.code === 'ERR_ABORTED' ||
    e.code === 'ERR_CANCELED'
  ) {
    return new FloraAbortError({
      code: 'aborted',
      message: 'The call was aborted by the caller',
      category: 'aborted',
      retryable: false,
      hint: 'The caller’s AbortSignal fired: nothing to fix on FLORA’s side.',
      method,
      url,
      cause: e,
    });
  }
  if (e.name === 'TimeoutError') {
    const timeoutMs = e.options?.timeout?.request;
    return new FloraTimeoutError({
      code: 'attempt_timeout',
      message: `The attempt timed out${e.event ? ` (${e.event})` : ''}${timeoutMs ? ` after ${timeoutMs} ms` : ''}`,
      category: 'timeout',
      retryable: true,
      hint: 'One attempt ran past its timeout: retried with backoff; a POST only with an idempotency key.',
      timeoutMs,
      phase: e.event,
      method,
      url,
      cause: e,
    });
  }
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code) && e.name !== 'HTTPError') {
    return networkError(e, method, url);
  }
  const status = e.response?.statusCode;
  if (typeof status === 'number' && (status < 200 || status > 299)) {
    return toFloraError({
      status,
      headers: e.response?.headers,
      body: e.response?.rawBody ?? e.response?.body,
      method,
      url,
      cause: e,
    });
  }
  if (e.name === 'ParseError' && typeof status === 'number') {
    return new FloraNetworkError({
      code: 'invalid_response',
      message: `FLORA answered ${status} with a body that is not valid JSON`,
      category: 'server',
      retryable: true,
      hint: 'The response was cut or corrupted on the way: retry a GET; for a POST, look the resource up before re-sending.',
      status,
      method,
      url,
      cause: e,
    });
  }
  return networkError(e, method, url);
}

function networkError(
  e: GotErrorLike,
  method: string | undefined,
  url: string | URL | undefined,
): FloraError {
  const systemCode = typeof e.code === 'string' && e.code !== 'ERR_GOT_REQUEST_ERROR' ? e.code : undefined;
  const isNetwork =
    (systemCode !== undefined && NETWORK_CODES.has(systemCode)) ||
    e.name === 'ReadError' ||
    e.name === 'UploadError' ||
    e.name === 'RequestError';
  return new FloraNetworkError({
    code: 'network_error',
    message: `No response from FLORA${systemCode ? ` (${systemCode})` : ''}`,
    category: isNetwork ? 'network' : 'unknown',
    retryable: isNetwork,
    hint: isNetwork ? NETWORK_HINT : 'An unexpected client-side failure: see `cause`.',
    systemCode,
    method,
    url,
    cause: e,
  });
}

/**
 * The `FloraError` for any error got throws (HTTP error, network error, timeout, parse error, abort,
 * or one of this project's own errors thrown from a hook). Idempotent: the same got error always maps to
 * the same `FloraError`, so several plugins may call it. Adds the request-ids and attempt count recorded
 * in the call's context. An error that is already a `FloraError` is enriched and returned.
 */
export function fromGotError(error: unknown): FloraError {
  if (typeof error !== 'object' || error === null) {
    return new FloraNetworkError({
      code: 'network_error',
      message: `Unexpected non-error thrown: ${String(error).slice(0, 200)}`,
      category: 'unknown',
      retryable: false,
      hint: 'Something threw a non-Error value: see `cause`.',
      cause: error,
    });
  }
  const memo = (error as Record<symbol, unknown>)[MEMO];
  if (isFloraError(memo)) return memo;
  const source = error as GotErrorLike;
  const result = isFloraError(error) ? error : convert(source);
  enrich(result, source);
  if (!isFloraError(error)) {
    try {
      Object.defineProperty(error, MEMO, { value: result, enumerable: false, configurable: true });
    } catch {
      // Frozen error: no memo, conversion stays deterministic.
    }
  }
  return result;
}
