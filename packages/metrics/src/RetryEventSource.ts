import type { FloraError } from '@flora-resilience/errors';
import type { Disposable } from './Disposable.js';

/** The retry policy decided to try again (fired when it decides, before the wait). */
export interface RetryEvent {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly delayMs: number;
  /** The failure's category, e.g. `rate_limited`, `server`, `network`, `timeout`. */
  readonly reason: string;
  readonly error: FloraError;
  readonly requestId: string | undefined;
  readonly method: string;
  /** Route template, e.g. `POST /techniques/thumbnail-v3/runs`. */
  readonly operation: string;
  readonly workspaceId: string | undefined;
}

/** Why the retry policy stopped. */
export const GIVE_UP_REASONS = Object.freeze([
  'not_retryable',
  'attempts_exhausted',
  'deadline_exceeded',
  'retry_after_too_long',
  'retry_budget_exhausted',
  'circuit_open',
  'aborted',
  'method_not_idempotent',
] as const);

export type GiveUpReason = (typeof GIVE_UP_REASONS)[number];

/** The retry policy stopped retrying a call. */
export interface GiveUpEvent {
  readonly attempt: number;
  readonly reason: GiveUpReason;
  readonly error: FloraError;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly operation: string;
  readonly workspaceId: string | undefined;
  readonly retryAfterMs: number | undefined;
}

/**
 * What `instrumentRetry` needs from a retry policy (the `@flora-resilience/retry` policy object has this
 * shape; typed here so this package does not depend on it). `onGiveUp` is optional.
 */
export interface RetryEventSource {
  onRetry(listener: (event: RetryEvent) => void): Disposable;
  onGiveUp?(listener: (event: GiveUpEvent) => void): Disposable;
}
