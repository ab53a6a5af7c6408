import type { BenchClient } from './BenchClient.js';
import type { CallSample } from './CallSample.js';
import type { Operation } from './Operation.js';
import type { WorkloadResult } from './runWorkload.js';
import { timeCall } from './timeCall.js';

export interface OpenLoopOptions {
  readonly client: BenchClient;
  /** New logical calls per second, started on schedule whether or not earlier calls have ended. */
  readonly callsPerSecond: number;
  /** The operation of the `i`-th call. */
  readonly operation: (i: number) => Operation;
  /** No new call starts after this many ms. */
  readonly durationMs: number;
  /** Checked before each start in addition to `durationMs`. */
  readonly keepGoing?: (elapsedMs: number) => boolean;
  /** Calls in flight at most; a call due while the cap is reached is not started (counted as shed). */
  readonly maxInFlight: number;
  /** Hard bound on one logical call: it is aborted after this many ms. Default 60 000. */
  readonly callTimeoutMs?: number;
  readonly onSample?: (sample: CallSample) => void;
}

export interface OpenLoopResult extends WorkloadResult {
  /** Calls that were due while `maxInFlight` calls were still running, and so never started. */
  readonly shed: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Open loop: calls arrive at a fixed rate, as requests arrive at a service from its own users,
 * independent of how long FLORA takes. Unlike a closed loop, failing or slow calls do not slow the
 * arrivals down, so the extra load of retries and the failure rate a breaker sees are not hidden.
 */
export async function runOpenLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const samples: CallSample[] = [];
  const inFlight = new Set<Promise<void>>();
  const interval = 1000 / o.callsPerSecond;
  const t0 = performance.now();
  let shed = 0;
  for (let i = 0; ; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const elapsed = performance.now() - t0;
    if (elapsed >= o.durationMs || (o.keepGoing !== undefined && !o.keepGoing(elapsed))) break;
    if (inFlight.size >= o.maxInFlight) {
      shed++;
      continue;
    }
    const p = timeCall(o.client, o.operation(i), i, o.callTimeoutMs ?? 60_000).then((sample) => {
      samples.push(sample);
      o.onSample?.(sample);
      inFlight.delete(p);
    });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return { samples, wallMs: performance.now() - t0, shed };
}
