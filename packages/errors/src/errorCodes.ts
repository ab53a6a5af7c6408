/**
 * Node/undici transport error codes that mean "FLORA (or the way to it) did not answer": transient, and
 * retryable where the method allows. One list for every package (the breaker counts them as failures).
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ECONNABORTED',
  'ESOCKETTIMEDOUT',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
  'HPE_INVALID_CONSTANT',
  'HPE_INVALID_CHUNK_SIZE',
]);

/**
 * The codes this project gives failures that carry no FLORA code: its own (no response, timeout, bad
 * body, abort, breaker, deadline, run failure) and the status-class fallbacks of `classifyStatus` (an HTML
 * 502 is `bad_gateway`, an empty 500 `server_error`). With `KNOWN_API_CODES`, the full bounded set.
 */
export const PROJECT_ERROR_CODES: readonly string[] = Object.freeze([
  'network_error',
  'attempt_timeout',
  'invalid_response',
  'aborted',
  'circuit_open',
  'deadline_exceeded',
  'run_failed',
  'bad_request',
  'payment_required',
  'request_timeout',
  'payload_too_large',
  'unprocessable_entity',
  'not_implemented',
  'bad_gateway',
  'gateway_timeout',
  'service_unavailable',
  'server_error',
  'client_error',
  'unexpected_status',
]);
