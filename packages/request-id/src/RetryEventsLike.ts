/**
 * The retry policy's events, as the errors package defines the contract (so this package does not import
 * the retry package). The `…Like` names are kept for this package's public API.
 */
export type {
  Disposable,
  GiveUpEvent as GiveUpEventLike,
  RetryEvent as RetryEventLike,
  RetryEventSource as RetryEventsLike,
} from '@flora-resilience/errors';
