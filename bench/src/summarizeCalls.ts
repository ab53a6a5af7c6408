import type { CallSample } from './CallSample.js';
import { percentile } from './percentile.js';

/** Client-side figures of a set of calls. */
export interface CallSummary {
  readonly calls: number;
  readonly ok: number;
  /** 0..1; NaN without calls. */
  readonly successRate: number;
  /** Latency of every call (ms). */
  readonly p50: number;
  readonly p99: number;
  /** Latency of the failed calls only (ms): how fast a failure reaches the caller. */
  readonly failedP50: number;
  readonly failedP99: number;
  /** Failed calls by `describeFailure` label, most frequent first. */
  readonly failures: readonly (readonly [label: string, count: number])[];
}

export function summarizeCalls(samples: readonly CallSample[]): CallSummary {
  const all = samples.map((s) => s.latencyMs);
  const failed = samples.filter((s) => !s.ok);
  const counts = new Map<string, number>();
  for (const s of failed) counts.set(s.failure ?? '?', (counts.get(s.failure ?? '?') ?? 0) + 1);
  const ok = samples.length - failed.length;
  return {
    calls: samples.length,
    ok,
    successRate: samples.length === 0 ? Number.NaN : ok / samples.length,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    failedP50: percentile(
      failed.map((s) => s.latencyMs),
      50,
    ),
    failedP99: percentile(
      failed.map((s) => s.latencyMs),
      99,
    ),
    failures: [...counts].sort((a, b) => b[1] - a[1]),
  };
}
