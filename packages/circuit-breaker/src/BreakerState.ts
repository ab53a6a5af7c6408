/**
 * `closed`: attempts flow and are counted. `open`: attempts fail at once with `CircuitOpenError`.
 * `half_open`: the next attempt is a probe; the others fail at once until it settles.
 * The contract lives in the errors package, where the metrics package reads it too.
 */
export { BREAKER_STATES, type BreakerState } from '@flora-resilience/errors';
