import { isKnownApiCode } from '@flora-resilience/errors';
import { NONE_LABEL, OTHER_LABEL } from './OTHER_LABEL.js';

/**
 * Codes this project gives failures that carry no FLORA code: the errors package's own codes (no
 * response, timeout, bad body, abort, breaker, deadline, run failure) and its status-class fallbacks
 * (an HTML 502 is `bad_gateway`, an empty 500 is `server_error`). FLORA's documented codes are added from
 * `KNOWN_API_CODES`.
 */
export const PROJECT_CODES: readonly string[] = Object.freeze([
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
  'server_error',
  'client_error',
  'unexpected_status',
]);

const PROJECT = new Set(PROJECT_CODES);

/**
 * The `code` label for an error code: a FLORA code from `KNOWN_API_CODES` or one of {@link PROJECT_CODES}
 * as is, `none` when there is no code, `_OTHER` for anything else (a server can send any string).
 */
export function codeLabel(code: string | undefined): string {
  if (code === undefined || code === '') return NONE_LABEL;
  if (isKnownApiCode(code) || PROJECT.has(code)) return code;
  return OTHER_LABEL;
}
