import type { FloraError } from './FloraError.js';

/**
 * The event contracts between the packages: the retry policy emits these, the metrics and request-id
 * packages consume them. They live in the floor package so that every package types them once, and no
 * package imports another to subscribe.
 */

/** A subscription: call `dispose()` to stop listening. */
export interface Disposable {
  dispose(): void;
}

/** Every reason a retry policy gives for stopping. A string-literal union, not an enum. */
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

/** The policy decided to try again; emitted when it decides, before the wait. */
export interface RetryEvent {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly delayMs: number;
  /** The failure's category: `rate_limited`, `server`, `network`, `timeout`… */
  readonly reason: string;
  readonly error: FloraError;
  /** `request-id` of the failed attempt, when it got a response. */
  readonly requestId: string | undefined;
  readonly method: string;
  /** Bounded route template, e.g. `POST /techniques/thumbnail-v3/runs`. */
  readonly operation: string;
  readonly workspaceId: string | undefined;
}

/** The policy stopped a call that failed; emitted once per call. */
export interface GiveUpEvent {
  /** The last attempt, 1-based. */
  readonly attempt: number;
  readonly reason: GiveUpReason;
  readonly error: FloraError;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly operation: string;
  readonly workspaceId: string | undefined;
  readonly retryAfterMs: number | undefined;
}

/** Anything that reports retry decisions (the retry package's policy object). `onGiveUp` is optional. */
export interface RetryEventSource {
  onRetry(listener: (event: RetryEvent) => void): Disposable;
  onGiveUp?(listener: (event: GiveUpEvent) => void): Disposable;
}
