import type { BenchClient } from './BenchClient.js';
import type { CallSample } from './CallSample.js';
import { describeFailure } from './describeFailure.js';
import type { Operation } from './Operation.js';

/** Makes one logical call, bounded by `timeoutMs` (aborted after it), and records its outcome. */
export async function timeCall(
  client: BenchClient,
  op: Operation,
  caller: number,
  timeoutMs: number,
): Promise<CallSample> {
  const startedAt = Date.now();
  const start = performance.now();
  try {
    await client.call(op, AbortSignal.timeout(timeoutMs));
    return {
      caller,
      path: op.path,
      startedAt,
      endedAt: Date.now(),
      latencyMs: performance.now() - start,
      ok: true,
    };
  } catch (error) {
    const latencyMs = performance.now() - start;
    return {
      caller,
      path: op.path,
      startedAt,
      endedAt: Date.now(),
      latencyMs,
      ok: false,
      failure: describeFailure(error),
    };
  }
}
