export { API_CODES, type CodeInfo, type FloraApiCode, isKnownApiCode, KNOWN_API_CODES } from './apiCodes.js';
export {
  BREAKER_STATES,
  type BreakerEventSource,
  type BreakerState,
  type BreakerStateChange,
} from './breakerEvents.js';
export { CircuitOpenError, isCircuitOpenError } from './CircuitOpenError.js';
export {
  CALL_RECORD_KEY,
  type FloraCallRecord,
  getCallRecord,
  recordAttempt,
  recordResponse,
  resetCallRecord,
} from './callRecord.js';
export { FLORA_ERROR_CATEGORIES, type FloraErrorCategory } from './categories.js';
export { classifyRun } from './classifyRun.js';
export { classifyHttp, classifyStatus } from './classifyStatus.js';
export { NETWORK_ERROR_CODES, PROJECT_ERROR_CODES } from './errorCodes.js';
export { FloraAbortError, isFloraAbortError } from './FloraAbortError.js';
export { FloraApiError, isFloraApiError } from './FloraApiError.js';
export { FloraDeadlineError, isFloraDeadlineError } from './FloraDeadlineError.js';
export { FloraError, type FloraErrorField, type FloraErrorInit, isFloraError } from './FloraError.js';
export { FloraNetworkError, isFloraNetworkError } from './FloraNetworkError.js';
export { FloraRunFailedError, isFloraRunFailedError } from './FloraRunFailedError.js';
export { FloraTimeoutError, isFloraTimeoutError } from './FloraTimeoutError.js';
export { type FloraErrorsOptions, floraErrors } from './floraErrors.js';
export { type FloraOperationOptions, floraOperation } from './floraOperation.js';
export { fromGotError } from './fromGotError.js';
export { type HeadersLike, headerValue, readRequestId } from './headerValue.js';
export {
  type ErrorBodyKind,
  MAX_PARSED_BODY_BYTES,
  type ParsedErrorBody,
  parseErrorBody,
} from './parseErrorBody.js';
export { parseHttpDate } from './parseHttpDate.js';
export { parseRetryAfter, RETRY_AFTER_CEILING_MS } from './parseRetryAfter.js';
export { redactSecrets, redactUrl } from './redactSecrets.js';
export {
  type Disposable,
  GIVE_UP_REASONS,
  type GiveUpEvent,
  type GiveUpReason,
  type RetryEvent,
  type RetryEventSource,
} from './retryEvents.js';
export { KNOWN_RUN_CODES, looksModerated, RUN_CODES, type RunRecovery, runRecoveryOf } from './runCodes.js';
export { type FloraResponseLike, toFloraError } from './toFloraError.js';
export { type SupportTicket, toSupportTicket } from './toSupportTicket.js';
