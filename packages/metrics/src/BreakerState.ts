import type { BreakerState } from '@flora-resilience/errors';

export type { BreakerState };

/** The value of the `circuit_state` gauge per state: 0 closed, 1 half-open, 2 open (worse is higher). */
export const BREAKER_STATE_VALUES = Object.freeze({ closed: 0, half_open: 1, open: 2 } as const);

export function isBreakerState(value: unknown): value is BreakerState {
  return value === 'closed' || value === 'open' || value === 'half_open';
}
