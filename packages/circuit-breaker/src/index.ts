export { ATTEMPT_OUTCOMES, type AttemptOutcome } from './AttemptOutcome.js';
export type { AttemptTarget, Breaker, BreakerStats } from './Breaker.js';
export type { BreakerPermit } from './BreakerPermit.js';
export type { BreakerRegistry, BreakerRegistryStats } from './BreakerRegistry.js';
export type { BreakerKeyFunction, BreakerRegistryOptions } from './BreakerRegistryOptions.js';
export { BREAKER_STATES, type BreakerState } from './BreakerState.js';
export type { BreakerStateChange } from './BreakerStateChange.js';
export { type AttemptResult, classifyAttemptOutcome } from './classifyAttemptOutcome.js';
export { createBreakerRegistry } from './createBreakerRegistry.js';
export type { Disposable } from './Disposable.js';
export { BREAKER_CONTEXT_KEY, floraCircuitBreaker } from './floraCircuitBreaker.js';
export { type ResetBackoff, resetDelayMs } from './resetDelayMs.js';
export {
  DEFAULT_BREAKER_OPTIONS,
  defaultBreakerKey,
  type ResolvedBreakerOptions,
  resolveBreakerOptions,
} from './resolveBreakerOptions.js';
