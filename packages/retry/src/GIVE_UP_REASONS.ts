/** Every reason the retry policy gives for stopping. A string-literal union, not an enum. */
export const GIVE_UP_REASONS = [
  'not_retryable',
  'attempts_exhausted',
  'deadline_exceeded',
  'retry_after_too_long',
  'retry_budget_exhausted',
  'circuit_open',
  'aborted',
  'method_not_idempotent',
] as const;

export type GiveUpReason = (typeof GIVE_UP_REASONS)[number];
