import { describe, expect, it } from '@jest/globals';
import { pollDelay } from '../src/pollSchedule.js';

const o = { minIntervalMs: 2000, maxIntervalMs: 5000, maxFirstWaitMs: 30000 };

describe('pollDelay: FLORA’s 2–5 s cadence', () => {
  it('starts at the minimum and grows ×1.5 up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => pollDelay(n, undefined, o))).toEqual([
      2000, 3000, 4500, 5000, 5000, 5000,
    ]);
  });
  it('lets estimated_seconds set the first wait, clamped to [min, maxFirstWait]', () => {
    expect(pollDelay(0, 10, o)).toBe(10000);
    expect(pollDelay(0, 0.5, o)).toBe(2000);
    expect(pollDelay(0, 120, o)).toBe(30000);
    expect(pollDelay(1, 120, o)).toBe(3000);
  });
});
