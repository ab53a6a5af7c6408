import { DEFAULT_BREAKER_OPTIONS, resetDelayMs } from '@flora-resilience/circuit-breaker';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

describe('resetDelayMs (the open-period backoff)', () => {
  it.each([
    [0, 1000],
    [1, 2000],
    [2, 4000],
    [3, 8000],
    [4, 16_000],
    [5, 30_000],
    [6, 30_000],
    [50, 30_000],
    [5000, 30_000],
  ])('with the defaults, after %i failed probes the breaker waits %i ms', (failed, expected) => {
    expect(resetDelayMs(failed, DEFAULT_BREAKER_OPTIONS)).toBe(expected);
  });

  it.each([
    [-1, 1000],
    [Number.NaN, 1000],
    [Number.POSITIVE_INFINITY, 1000],
    [1.7, 2000],
  ])('treats a nonsensical count %p as %i ms', (failed, expected) => {
    expect(resetDelayMs(failed, DEFAULT_BREAKER_OPTIONS)).toBe(expected);
  });

  it('a factor of 1 is a fixed reset', () => {
    const fixed = { resetTimeoutMs: 5000, maxResetTimeoutMs: 60_000, backoffFactor: 1 };
    expect([0, 1, 10].map((n) => resetDelayMs(n, fixed))).toEqual([5000, 5000, 5000]);
  });

  it('starts at resetTimeoutMs, never decreases, never exceeds the cap, and reaches it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.integer({ min: 0, max: 200 }),
        (base, extra, factor, n) => {
          const b = { resetTimeoutMs: base, maxResetTimeoutMs: base + extra, backoffFactor: factor };
          const d = resetDelayMs(n, b);
          expect(resetDelayMs(0, b)).toBe(base);
          expect(d).toBeGreaterThanOrEqual(base);
          expect(d).toBeLessThanOrEqual(base + extra);
          expect(resetDelayMs(n + 1, b)).toBeGreaterThanOrEqual(d);
          expect(Number.isInteger(d)).toBe(true);
          if (factor >= 2) expect(resetDelayMs(200, b)).toBe(base + extra);
        },
      ),
    );
  });
});
