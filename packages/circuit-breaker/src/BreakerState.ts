/** Every state a breaker reports, in the spelling the metrics package reads. */
export const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;

/**
 * `closed`: attempts flow and are counted. `open`: attempts fail at once with `CircuitOpenError`.
 * `half_open`: the next attempt is a probe; the others fail at once until it settles.
 */
export type BreakerState = (typeof BREAKER_STATES)[number];
