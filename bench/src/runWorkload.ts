import type { BenchClient } from './BenchClient.js';
import type { CallSample } from './CallSample.js';
import type { Operation } from './Operation.js';
import { timeCall } from './timeCall.js';

export interface WorkloadOptions {
  readonly client: BenchClient;
  /** Concurrent callers, each a closed loop of logical calls. */
  readonly callers: number;
  /** The operation caller `caller` makes on its `i`-th call. */
  readonly operation: (caller: number, i: number) => Operation;
  /** Calls per caller (a count bound). */
  readonly callsPerCaller?: number;
  /** No new call starts after this many ms (a time bound). */
  readonly durationMs?: number;
  /** Checked before each call in addition to the bounds above (e.g. "until the dead route recovered"). */
  readonly keepGoing?: (elapsedMs: number) => boolean;
  /** Pause between two calls of one caller (the caller's own work). Default 0. */
  readonly thinkMs?: number;
  /** Hard bound on one logical call: it is aborted after this many ms. Default 60 000. */
  readonly callTimeoutMs?: number;
  /** Sees every sample as it completes. */
  readonly onSample?: (sample: CallSample) => void;
}

export interface WorkloadResult {
  readonly samples: readonly CallSample[];
  /** From the first call's start to the last call's end. */
  readonly wallMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Closed loop: runs `callers` concurrent loops of logical calls, bounded by count and/or time. A caller
 * starts its next call only when the previous one ended, so slow calls slow the load down.
 */
export async function runWorkload(o: WorkloadOptions): Promise<WorkloadResult> {
  if (o.callsPerCaller === undefined && o.durationMs === undefined) {
    throw new RangeError('runWorkload: give callsPerCaller or durationMs (every loop must be bounded)');
  }
  const maxCalls = o.callsPerCaller ?? Number.POSITIVE_INFINITY;
  const samples: CallSample[] = [];
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  const more = (i: number) =>
    i < maxCalls &&
    (o.durationMs === undefined || elapsed() < o.durationMs) &&
    (o.keepGoing === undefined || o.keepGoing(elapsed()));

  const loop = async (caller: number) => {
    for (let i = 0; more(i); i++) {
      const sample = await timeCall(o.client, o.operation(caller, i), caller, o.callTimeoutMs ?? 60_000);
      samples.push(sample);
      o.onSample?.(sample);
      if (o.thinkMs) await sleep(o.thinkMs);
    }
  };
  await Promise.all(Array.from({ length: o.callers }, (_, caller) => loop(caller)));
  return { samples, wallMs: elapsed() };
}
