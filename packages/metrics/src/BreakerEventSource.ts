/**
 * What `instrumentBreakers` needs from a breaker registry. The contract lives in the errors package, so
 * this package does not depend on the breaker package. `states()` is optional: when present, the current
 * states are read once at subscription so the gauge starts right.
 */
export type { BreakerEventSource, BreakerStateChange } from '@flora-resilience/errors';
