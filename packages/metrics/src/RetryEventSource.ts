/**
 * What `instrumentRetry` needs from a retry policy. The contract lives in the errors package, so this
 * package does not depend on the retry package.
 */
export {
  GIVE_UP_REASONS,
  type GiveUpEvent,
  type GiveUpReason,
  type RetryEvent,
  type RetryEventSource,
} from '@flora-resilience/errors';
