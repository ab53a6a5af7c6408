import type { SimulatorStats } from '@flora-resilience/simulator';

export interface AttemptFilter {
  /** Only this API path (after `/api/v1`, e.g. `/techniques/upscale-4k`). */
  readonly path?: string;
  /** Only attempts that arrived in `[from, until)` (simulator clock, absolute ms). */
  readonly from?: number;
  readonly until?: number;
  /** Only attempts answered with this status. */
  readonly status?: number;
}

/** Server-side count: requests the simulator recorded that match `filter`. */
export function countAttempts(stats: SimulatorStats, filter: AttemptFilter = {}): number {
  if (stats.droppedAttempts > 0) {
    throw new RangeError(`countAttempts: ${stats.droppedAttempts} attempt records fell out of the ring`);
  }
  let n = 0;
  for (const a of stats.attempts) {
    if (filter.path !== undefined && a.path !== filter.path) continue;
    if (filter.from !== undefined && a.time < filter.from) continue;
    if (filter.until !== undefined && a.time >= filter.until) continue;
    if (filter.status !== undefined && a.status !== filter.status) continue;
    n++;
  }
  return n;
}
