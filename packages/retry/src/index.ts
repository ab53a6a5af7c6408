export { type BackoffOptions, backoffDelay, type Jitter } from './backoffDelay.js';
export { CooldownGate } from './CooldownGate.js';
export { type CooldownStore, createMemoryCooldownStore } from './CooldownStore.js';
export { classifyThrown } from './classifyThrown.js';
export { cooldownKey } from './cooldownKey.js';
export {
  createRedisCooldownStore,
  type RedisCooldownClient,
  type RedisCooldownErrorContext,
  type RedisCooldownStore,
  type RedisCooldownStoreOptions,
  type RedisCooldownSubscriber,
} from './createRedisCooldownStore.js';
export {
  type AttemptContext,
  createRetryPolicy,
  isRetryPolicy,
  type RetryPolicy,
} from './createRetryPolicy.js';
export { decideRetry, type RetryDecision, type RetryState, safeWithoutKey } from './decideRetry.js';
export type { Disposable, GiveUpEvent, RetryEvent } from './events.js';
export {
  floraRetry,
  getRetryCallState,
  RETRY_CONTEXT_KEY,
  RETRY_METHODS,
  type RetryCallState,
} from './floraRetry.js';
export { GIVE_UP_REASONS, type GiveUpReason } from './GIVE_UP_REASONS.js';
export { type IdempotencyPlan, idempotencyPlan, isTechniqueRunCreate } from './idempotencyPlan.js';
export { RetryBudget, type RetryBudgetSnapshot } from './RetryBudget.js';
export {
  type CooldownOptions,
  DEFAULT_RETRY_OPTIONS,
  type ResolvedBudget,
  type ResolvedCooldown,
  type ResolvedRetryOptions,
  type RetryBudgetOptions,
  type RetryOptions,
  resolveRetryOptions,
} from './RetryOptions.js';
export { type FloraCallOptions, readCallOptions } from './readCallOptions.js';
export { type FloraAttempt, type WithFloraRetryOptions, withFloraRetry } from './withFloraRetry.js';
