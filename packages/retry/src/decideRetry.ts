import type { FloraError } from '@flora-resilience/errors';
import { backoffDelay } from './backoffDelay.js';
import type { GiveUpReason } from './GIVE_UP_REASONS.js';
import type { ResolvedRetryOptions } from './RetryOptions.js';

/** What the policy knows about the logical call when one attempt failed. */
export interface RetryState {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  /** HTTP method (upper case). */
  readonly method: string;
  /** The call carries an idempotency key identical on every attempt. */
  readonly hasIdempotencyKey: boolean;
  /** Milliseconds since the logical call started. */
  readonly elapsedMs: number;
  /** Total time for the call, or `undefined` for none. */
  readonly deadlineMs: number | undefined;
  /** Whether the retry budget can pay for one more retry (ignored for waits that do not spend it). */
  readonly budgetAvailable: boolean;
  /** The caller aborted. */
  readonly aborted?: boolean | undefined;
  /** Random source in [0, 1) for jitter. */
  readonly random: () => number;
}

export type RetryDecision =
  | {
      readonly retry: true;
      /** How long to wait before the next attempt (ms). */
      readonly delayMs: number;
      /** The failure's category, e.g. `rate_limited`, `server`, `network`, `timeout`. */
      readonly reason: string;
      /** The wait honours a server-given retry-after. */
      readonly serverAsked: boolean;
      /** The retry spends the retry budget (false for a 429 with retry-after: the cooldown paces it). */
      readonly spendsBudget: boolean;
      readonly retryAfterMs: number | undefined;
    }
  | {
      readonly retry: false;
      readonly reason: GiveUpReason;
      readonly retryAfterMs: number | undefined;
    };

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * Whether a failed attempt of a non-idempotent request (POST, PATCH) without an idempotency key may be
 * sent again: only when FLORA answered and the answer proves nothing happened. 429 (rejected before
 * handling) and 503 (overloaded, not served) do; 500/502/504, a cut body, a reset or a timeout do not
 * (the side effect may have happened).
 */
export function safeWithoutKey(error: FloraError): boolean {
  return error.status === 429 || (error.status === 503 && error.code !== 'invalid_response');
}

/**
 * The pure retry decision: retry after `delayMs`, or give up with a reason. Checks, in order: abort,
 * circuit open, deadline error, not retryable, method safety, attempts (FLORA's per-code `maxAttempts`
 * too), server-requested wait (retry-after) against `maxRetryAfterMs` and the deadline, backoff against
 * the deadline, and the budget.
 */
export function decideRetry(
  error: FloraError,
  state: RetryState,
  options: Pick<
    ResolvedRetryOptions,
    'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'jitter' | 'maxRetryAfterMs'
  >,
): RetryDecision {
  const retryAfterMs = error.retryAfterMs;
  const stop = (reason: GiveUpReason): RetryDecision => ({ retry: false, reason, retryAfterMs });
  if (state.aborted || error.category === 'aborted') return stop('aborted');
  if (error.category === 'circuit_open') return stop('circuit_open');
  if (error.category === 'deadline') return stop('deadline_exceeded');
  if (!error.retryable) return stop('not_retryable');
  const method = state.method.toUpperCase();
  if (!IDEMPOTENT_METHODS.has(method) && !state.hasIdempotencyKey && !safeWithoutKey(error)) {
    return stop('method_not_idempotent');
  }
  const maxAttempts = Math.min(options.maxAttempts, error.maxAttempts ?? Number.POSITIVE_INFINITY);
  if (state.attempt >= maxAttempts) return stop('attempts_exhausted');
  const remaining =
    state.deadlineMs === undefined ? Number.POSITIVE_INFINITY : state.deadlineMs - state.elapsedMs;
  if (remaining <= 0) return stop('deadline_exceeded');
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > options.maxRetryAfterMs || retryAfterMs >= remaining)
      return stop('retry_after_too_long');
    const spendsBudget = error.status !== 429;
    if (spendsBudget && !state.budgetAvailable) return stop('retry_budget_exhausted');
    return {
      retry: true,
      delayMs: retryAfterMs,
      reason: error.category,
      serverAsked: true,
      spendsBudget,
      retryAfterMs,
    };
  }
  const delayMs = backoffDelay(state.attempt - 1, options, state.random);
  if (delayMs >= remaining) return stop('deadline_exceeded');
  if (!state.budgetAvailable) return stop('retry_budget_exhausted');
  return {
    retry: true,
    delayMs,
    reason: error.category,
    serverAsked: false,
    spendsBudget: true,
    retryAfterMs,
  };
}
