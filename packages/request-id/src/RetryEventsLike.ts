import type { FloraError } from '@flora-resilience/errors';

/**
 * The retry decision, as the retry package's policy object reports it (typed here structurally, so this
 * package does not import the retry package).
 */
export interface RetryEventLike {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  /** How long the policy will wait before the next attempt, in ms. */
  readonly delayMs: number;
  /** The error category that made it retry (`rate_limited`, `server`, `network`, `timeout`…). */
  readonly reason: string;
  readonly error: FloraError;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly operation: string;
  readonly workspaceId: string | undefined;
}

/** The retry policy's decision to stop, typed structurally. */
export interface GiveUpEventLike {
  readonly attempt: number;
  readonly reason: string;
  readonly error: FloraError;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly operation: string;
  readonly workspaceId: string | undefined;
  readonly retryAfterMs: number | undefined;
}

/** A disposable subscription. */
export interface Disposable {
  dispose(): void;
}

/**
 * Anything that reports retry decisions as they are made: the retry package's policy object fits.
 * `onGiveUp` is optional.
 */
export interface RetryEventsLike {
  onRetry(listener: (event: RetryEventLike) => void): Disposable;
  onGiveUp?(listener: (event: GiveUpEventLike) => void): Disposable;
}
