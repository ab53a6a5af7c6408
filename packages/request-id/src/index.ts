export { type FloraRequestIdExtension, floraRequestId } from './floraRequestId.js';
export { type FormatSupportTicketOptions, formatSupportTicket } from './formatSupportTicket.js';
export { getRequestId, getRequestIds, RESPONSE_REQUEST_ID, RESPONSE_REQUEST_IDS } from './getRequestIds.js';
export { LOG_LEVELS, type LogLevel, type LogMethod, type RequestIdLogger } from './RequestIdLogger.js';
export { REQUEST_ID_SINK_KEY, type RequestIdSink } from './RequestIdSink.js';
export type { Disposable, GiveUpEventLike, RetryEventLike, RetryEventsLike } from './RetryEventsLike.js';
export { type RequestIdCallOptions, readCallOptions } from './readCallOptions.js';
export {
  DEFAULT_LEVELS,
  type FloraRequestIdOptions,
  type RequestIdLogLevels,
  type ResolvedRequestIdOptions,
  resolveRequestIdOptions,
} from './resolveRequestIdOptions.js';
export { safeLog } from './safeLog.js';
export {
  LOG_LINE_KINDS,
  LOG_MESSAGES,
  type LogLineInput,
  type LogLineKind,
  type RequestIdLogFields,
  toLogFields,
} from './toLogFields.js';
