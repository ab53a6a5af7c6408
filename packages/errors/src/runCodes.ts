/** FLORA's own retry-hint groups for run failures (flora-api.md §1.4, vocabulary C), plus `unknown`. */
export type RunRecovery = 'retry_now' | 'retry_later' | 'change_input' | 'not_retryable' | 'unknown';

/**
 * Run `error_code`s in all three vocabularies FLORA uses:
 * - A, the docs (lowercase): model_timeout, safety_blocked, input_unreachable, internal_error;
 * - B, the spec's example: provider_error;
 * - C, production (UPPER_SNAKE, measured by FLORA), grouped by the platform's own retry hint.
 */
export const RUN_CODES: Readonly<Record<string, RunRecovery>> = {
  // A — docs
  model_timeout: 'retry_now',
  internal_error: 'retry_now',
  safety_blocked: 'change_input',
  input_unreachable: 'change_input',
  // B — spec
  provider_error: 'retry_later',
  // C — production: retry_now
  GENERATION_PROVIDER_TIMEOUT: 'retry_now',
  GPU_PROVIDER_ERROR: 'retry_now',
  GENERATION_GENERIC_ERROR: 'retry_now',
  GENERATION_FAILED_TO_START: 'retry_now',
  GENERATION_FAILED_TO_UPLOAD: 'retry_now',
  GENERATION_FAILED_TO_UPDATE: 'retry_now',
  GENERATION_FAILED_TO_GET: 'retry_now',
  SERVER_ERROR: 'retry_now',
  GENERATION_PREGENERATION_FAILED: 'retry_now',
  GENERATION_POSTGENERATION_FAILED: 'retry_now',
  GENERATION_MAP_AFTER_REQUEST_FAILED: 'retry_now',
  // C — retry_later (provider under load)
  GENERATION_DOWNSTREAM_SERVICE_ERROR: 'retry_later',
  GENERATION_QUEUE_TOO_LARGE: 'retry_later',
  GENERATION_QUEUE_NOT_MOVING: 'retry_later',
  GENERATION_CIRCUIT_BREAKER_OPEN: 'retry_later',
  GENERATION_INVALID_PROVIDER_RESPONSE: 'retry_later',
  GENERATION_NO_RESULT: 'retry_later',
  GENERATION_MODAL_POLL_ERROR: 'retry_later',
  AUDIO_GENERATION_ERROR: 'retry_later',
  GENERATION_PROVIDER_FAILED_TO_GET_STATUS: 'retry_later',
  // C — change_input (never retry as-is)
  GENERATION_PROMPT_MODERATED: 'change_input',
  LLM_REFUSAL: 'change_input',
  GENERATION_INPUT_VALIDATION: 'change_input',
  GENERATION_INVALID_PARAMS: 'change_input',
  GENERATION_INVALID_URL: 'change_input',
  GENERATION_ENDPOINT_NOT_FOUND: 'change_input',
  GENERATION_MAP_BEFORE_REQUEST_FAILED: 'change_input',
  GENERATION_PROVIDER_NOT_SUPPORTED: 'change_input',
  // C — not_retryable
  BILLING_NOT_ENOUGH_CREDITS: 'not_retryable',
  BILLING_CREDITS_LIMIT_EXCEEDED: 'not_retryable',
  BILLING_WOULD_EXCEED_LIMIT: 'not_retryable',
  BILLING_FAILED_TO_RESERVE_CREDITS: 'not_retryable',
  GENERATION_NOT_PAID: 'not_retryable',
  GENERATION_CANCELLED: 'not_retryable',
};

/** Every run code named above, for bounded metric labels. `ACCESS_*` and `*_ENTITLEMENT_REQUIRED` are families. */
export const KNOWN_RUN_CODES: readonly string[] = Object.keys(RUN_CODES);

/** FLORA's group for a run error code: exact match first, then the `ACCESS_*` / `*_ENTITLEMENT_REQUIRED` families. */
export function runRecoveryOf(code: string | undefined): RunRecovery {
  if (code === undefined) return 'unknown';
  if (Object.hasOwn(RUN_CODES, code)) return RUN_CODES[code]!;
  const lower = code.toLowerCase();
  if (Object.hasOwn(RUN_CODES, lower)) return RUN_CODES[lower]!;
  const upper = code.toUpperCase();
  if (upper.startsWith('ACCESS_') || upper.endsWith('_ENTITLEMENT_REQUIRED')) return 'not_retryable';
  if (upper.startsWith('BILLING_')) return 'not_retryable';
  return 'unknown';
}

/**
 * A refusal can hide inside a "transient" code (GPU_PROVIDER_ERROR, GENERATION_NO_RESULT): read the message.
 * FLORA's rule: safety, moderation, refusal or policy ⇒ change_input.
 */
const MODERATION =
  /safety|moderat|refus|content[ _-]?polic|usage[ _-]?polic|\bpolic(?:y|ies)\b|nsfw|content[ _-]?filter|(?:content|policy)[ _-]?violation|\bflagged\b/i;

/**
 * Network wording that contains "refus…" but is a transient transport failure, not a moderation refusal:
 * `ECONNREFUSED`, "connection refused", "refused the connection", "refused to connect".
 */
const NETWORK_REFUSAL =
  /\w*ECONNREFUSED\w*|connection\s+(?:was\s+)?refused|refused\s+(?:the\s+|a\s+)?connection|refused\s+to\s+connect|connect\s+refused/gi;

export function looksModerated(message: string | undefined): boolean {
  if (typeof message !== 'string') return false;
  return MODERATION.test(message.slice(0, 2_000).replace(NETWORK_REFUSAL, ' '));
}
