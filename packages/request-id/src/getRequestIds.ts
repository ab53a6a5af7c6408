import {
  CALL_RECORD_KEY,
  type FloraCallRecord,
  fromGotError,
  type HeadersLike,
  isFloraError,
  readRequestId,
} from '@flora-resilience/errors';

/** The property names `floraRequestId` defines (non-enumerable) on every got response it sees. */
export const RESPONSE_REQUEST_ID = 'requestId';
export const RESPONSE_REQUEST_IDS = 'requestIds';

interface Shaped {
  readonly requestIds?: unknown;
  readonly headers?: unknown;
  readonly options?: unknown;
  readonly response?: { readonly headers?: unknown } | undefined;
  readonly request?: { readonly options?: { readonly context?: Record<string, unknown> } } | undefined;
}

const isStringArray = (value: unknown): value is readonly string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

const looksLikeGotError = (value: object): boolean =>
  value instanceof Error &&
  typeof (value as Shaped).options === 'object' &&
  (value as Shaped).options !== null;

/**
 * Every `request-id` FLORA sent during the call that produced `source`, oldest first. Works on:
 * - a got `Response` (the ids `floraRequestId` attached, else the call record, else its own header);
 * - a `FloraError` (`error.requestIds`);
 * - a got `RequestError`/`HTTPError`/`TimeoutError` (converted with `fromGotError`, memoized);
 * - a {@link RequestIdSink} or any object with a `requestIds` string array.
 *
 * Never throws; returns `[]` when nothing is known. The result is a copy.
 */
export function getRequestIds(source: unknown): string[] {
  if (typeof source !== 'object' || source === null) return [];
  try {
    if (isFloraError(source)) return [...source.requestIds];
    const shaped = source as Shaped;
    if (isStringArray(shaped.requestIds)) return [...shaped.requestIds];
    if (looksLikeGotError(source)) return [...fromGotError(source).requestIds];
    const record = shaped.request?.options?.context?.[CALL_RECORD_KEY] as FloraCallRecord | undefined;
    if (record && isStringArray(record.requestIds) && record.requestIds.length > 0) {
      return [...record.requestIds];
    }
    const own = readRequestId((shaped.headers ?? shaped.response?.headers) as HeadersLike | undefined);
    return own === undefined ? [] : [own];
  } catch {
    return [];
  }
}

/**
 * The `request-id` of the last attempt that got a response: the one to quote to FLORA support. Same
 * sources as {@link getRequestIds}; `undefined` when none arrived (e.g. every attempt was refused).
 */
export function getRequestId(source: unknown): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  try {
    if (isFloraError(source)) return source.requestId;
    const own = (source as { readonly requestId?: unknown }).requestId;
    if (typeof own === 'string' && own !== '') return own;
  } catch {
    return undefined;
  }
  return getRequestIds(source).at(-1);
}
