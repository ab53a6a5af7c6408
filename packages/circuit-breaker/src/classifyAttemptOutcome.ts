import { isFloraError, NETWORK_ERROR_CODES } from '@flora-resilience/errors';
import type { AttemptOutcome } from './AttemptOutcome.js';

/** What one attempt ended with: the response status, or the error when no status arrived. */
export type AttemptResult = { readonly status: number } | { readonly error: unknown };

/** Transport failures that mean "FLORA (or the way to it) is not answering": transient. */
const NETWORK_CODES: ReadonlySet<string> = NETWORK_ERROR_CODES;

const ABORT_NAMES: ReadonlySet<string> = new Set(['AbortError', 'CancelError']);
const ABORT_CODES: ReadonlySet<string> = new Set(['ABORT_ERR', 'ERR_ABORTED', 'ERR_CANCELED']);
const TRANSIENT_CATEGORIES: ReadonlySet<string> = new Set(['network', 'timeout']);

function outcomeOfStatus(status: number): AttemptOutcome {
  if (!Number.isInteger(status)) return 'neutral';
  if (status >= 100 && status <= 399) return 'success';
  // 501: FLORA does not implement the operation; asking again will not change that. Not transient.
  if (status >= 500 && status <= 599 && status !== 501) return 'failure';
  // 4xx: the caller's own mistake (400–404, 409, 422…) or a rate limit (429, the retry package's
  // cooldown handles it); anything else is not a status FLORA sends.
  return 'neutral';
}

function stringField(value: object, name: string): string | undefined {
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : undefined;
}

function outcomeOfError(error: unknown): AttemptOutcome {
  if (typeof error !== 'object' || error === null) return 'neutral';
  if (isFloraError(error)) {
    if (typeof error.status === 'number') return outcomeOfStatus(error.status);
    return TRANSIENT_CATEGORIES.has(error.category) && error.retryable ? 'failure' : 'neutral';
  }
  // got's errors (HTTPError, ParseError) carry the response: the status decides, as for any response.
  const response = (error as { response?: unknown }).response;
  if (typeof response === 'object' && response !== null) {
    const status = (response as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number') return outcomeOfStatus(status);
  }
  const name = stringField(error, 'name');
  const code = stringField(error, 'code');
  if ((name !== undefined && ABORT_NAMES.has(name)) || (code !== undefined && ABORT_CODES.has(code))) {
    return 'neutral';
  }
  if (name === 'TimeoutError' || name === 'ReadError') return 'failure';
  if (code !== undefined && (NETWORK_CODES.has(code) || code.startsWith('HPE_'))) return 'failure';
  return 'neutral';
}

/**
 * The breaker's verdict on one attempt (pure). Only transient failures count against FLORA: a 5xx
 * (except 501), a network error (refused, reset, DNS, socket closed mid-body, an HTTP parser error on a
 * garbled response) and an attempt timeout. A response in 1xx–3xx is a success. Caller errors (4xx), a
 * 429, an abort by the caller, and anything unrecognised are `neutral`: counted as neither.
 *
 * Accepts a status, or an error of any shape: a `FloraError` (its status, else its category), a got
 * error (its response's status, else its name/code), or a Node.js system error (its code).
 */
export function classifyAttemptOutcome(result: AttemptResult): AttemptOutcome {
  if ('status' in result) return outcomeOfStatus(result.status);
  return outcomeOfError(result.error);
}
