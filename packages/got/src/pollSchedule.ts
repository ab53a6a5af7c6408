export interface PollScheduleOptions {
  /** Shortest wait between polls. FLORA advises 2–5 s. Default 2000. */
  readonly minIntervalMs: number;
  /** Longest wait between polls. Default 5000. */
  readonly maxIntervalMs: number;
  /** Cap on the first wait when the run announces `estimated_seconds`. Default 30000. */
  readonly maxFirstWaitMs: number;
}

/**
 * The wait before poll number `poll` (0-based). The first wait follows the run's `estimated_seconds`
 * (clamped to [min, maxFirstWait]): polling a 25 s generation every 2 s from the start costs 12 useless
 * requests. Later waits grow ×1.5 from the minimum to the maximum, FLORA's advised 2–5 s cadence.
 */
export function pollDelay(
  poll: number,
  estimatedSeconds: number | undefined,
  o: PollScheduleOptions,
): number {
  if (poll === 0 && estimatedSeconds !== undefined) {
    return Math.min(Math.max(estimatedSeconds * 1000, o.minIntervalMs), o.maxFirstWaitMs);
  }
  return Math.min(o.minIntervalMs * 1.5 ** poll, o.maxIntervalMs);
}
