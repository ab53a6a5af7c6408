/**
 * A plain object a caller puts in one call's got `context` under {@link REQUEST_ID_SINK_KEY} to get the
 * call's request-ids back when the response itself is out of reach (`.json()`, `resolveBodyOnly`).
 * `floraRequestId` fills it as each response arrives and once more when the call ends.
 *
 * ```ts
 * const ids: RequestIdSink = {};
 * const models = await flora.get('models', { context: { requestIdSink: ids } }).json();
 * ids.requestId; // 'req_…'
 * ```
 */
export interface RequestIdSink {
  /** The `request-id` of the last attempt that got a response. */
  requestId?: string | undefined;
  /** The `request-id` of every attempt that got a response, in order. */
  requestIds?: readonly string[] | undefined;
}

/** The got `context` key of a call's {@link RequestIdSink}. */
export const REQUEST_ID_SINK_KEY = 'requestIdSink';
