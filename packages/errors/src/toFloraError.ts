import { classifyHttp } from './classifyStatus.js';
import { FloraApiError } from './FloraApiError.js';
import { type HeadersLike, readRequestId } from './headerValue.js';
import { type ErrorBodyKind, parseErrorBody } from './parseErrorBody.js';
import { parseRetryAfter } from './parseRetryAfter.js';

export interface FloraResponseLike {
  readonly status: number;
  readonly headers?: HeadersLike | null | undefined;
  /** Raw bytes, text, or an already-parsed value. Only a bounded prefix is ever read. */
  readonly body?: unknown;
  readonly method?: string | undefined;
  readonly url?: string | URL | undefined;
  readonly requestIds?: readonly string[] | undefined;
  readonly attempts?: number | undefined;
  readonly workspaceId?: string | undefined;
  readonly cause?: unknown;
  /** Clock for HTTP-date retry-after values; defaults to `Date.now()`. */
  readonly now?: number | undefined;
}

const BODY_WORDS: Record<ErrorBodyKind, string> = {
  envelope: '',
  json: 'a JSON body that is not FLORA’s error envelope',
  html: 'an HTML body (a proxy or gateway page)',
  text: 'a non-JSON body',
  empty: 'an empty body',
  too_large: 'an oversized body (not parsed)',
  invalid_json: 'a truncated or invalid JSON body',
};

/**
 * A `FloraApiError` for any non-2xx FLORA response. Pure: no got, no I/O, never throws on hostile input
 * (garbage status aside, which is a programming error and throws a `TypeError`).
 */
export function toFloraError(response: FloraResponseLike): FloraApiError {
  if (typeof response !== 'object' || response === null) {
    throw new TypeError(
      `toFloraError: expected a response object { status, headers?, body? }, got ${response === null ? 'null' : typeof response}`,
    );
  }
  const { status } = response;
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new TypeError(
      `toFloraError: status must be an integer HTTP status code (100–999), got ${String(status)}`,
    );
  }
  const parsed = parseErrorBody(response.body);
  const info = classifyHttp(status, parsed.code);
  const now = typeof response.now === 'number' && Number.isFinite(response.now) ? response.now : Date.now();
  const requestId = readRequestId(response.headers);
  const requestIds = Array.isArray(response.requestIds)
    ? response.requestIds.filter((id): id is string => typeof id === 'string')
    : [];
  if (requestId !== undefined && requestIds.at(-1) !== requestId) requestIds.push(requestId);
  const message =
    parsed.message ??
    (parsed.kind === 'envelope' || parsed.kind === 'json'
      ? `FLORA answered ${status} (${info.code})`
      : `FLORA answered ${status} with ${BODY_WORDS[parsed.kind]}`);
  return new FloraApiError({
    status,
    code: info.code,
    message,
    category: info.category,
    retryable: info.retryable,
    hint: info.hint,
    maxAttempts: info.maxAttempts,
    fields: parsed.fields,
    requestIds,
    retryAfterMs: parseRetryAfter(response.headers, now),
    attempts: response.attempts,
    method: response.method,
    url: response.url,
    workspaceId: response.workspaceId,
    time: new Date(now),
    cause: response.cause,
  });
}
