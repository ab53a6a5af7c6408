/** A breaker changed state. The contract lives in the errors package, where the metrics package reads it. */
export type { BreakerStateChange } from '@flora-resilience/errors';
