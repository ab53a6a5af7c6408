/**
 * Histogram buckets (seconds) for call and attempt durations: from 5 ms for quick reads up to 10 min,
 * because FLORA runs are slow (a create or poll behind a long `retry-after` can take minutes) and
 * prom-client's default top of 10 s would put every slow call into `+Inf`.
 */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
]);
