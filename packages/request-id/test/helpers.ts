import { floraOperation, fromGotError, getCallRecord, readRequestId } from '@flora-resilience/errors';
import type {
  GiveUpEventLike,
  LogLevel,
  RequestIdLogger,
  RetryEventLike,
} from '@flora-resilience/request-id';
import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import got, { type Got, type Method, type RequestError } from 'got';

/** One captured log call. */
export interface Captured {
  level: LogLevel;
  obj: Record<string, unknown>;
  msg: string;
}

/** A pino-shaped logger that keeps every call (a real object with the same call shape, not a mock). */
export function memoryLogger(): RequestIdLogger & { lines: Captured[] } {
  const lines: Captured[] = [];
  const at =
    (level: LogLevel) =>
    (obj: Record<string, unknown>, msg: string): void => {
      lines.push({ level, obj: structuredClone(obj), msg });
    };
  return {
    lines,
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
  };
}

/**
 * A got instance on the simulator with got's plain retry: `limit` retries of anything got considers
 * retryable (POST included), 1 ms apart. No floraErrors, no retry package.
 */
export function plainClient(sim: Simulator, limit = 2, apiKey = SIMULATOR_API_KEY): Got {
  return got.extend({
    prefixUrl: sim.url,
    headers: { authorization: `Bearer ${apiKey}` },
    retry: {
      limit,
      methods: ['GET', 'POST'],
      calculateDelay: ({ computedValue }) => (computedValue > 0 ? 1 : 0),
    },
  });
}

/** The request-ids the simulator sent, oldest first (null for a socket destroyed without a response). */
export function serverIds(sim: Simulator): string[] {
  return sim.stats().attempts.map((a) => a.requestId);
}

/** Only those that reached the client as a response. */
export function answeredIds(sim: Simulator): string[] {
  return sim
    .stats()
    .attempts.filter((a) => a.status !== null)
    .map((a) => a.requestId);
}

/**
 * A minimal retry policy honouring the retry package's published contract (the package itself is being
 * written in parallel): got's `calculateDelay` converts the error, decides, writes the call record's
 * `lastRetry`, and reports `onRetry`/`onGiveUp` at decision time, before got sleeps.
 */
export function contractRetryPolicy(delayMs: number, maxAttempts = 3) {
  const retryListeners = new Set<(e: RetryEventLike) => void>();
  const giveUpListeners = new Set<(e: GiveUpEventLike) => void>();
  const subscribe = <T>(set: Set<T>, listener: T) => {
    set.add(listener);
    return { dispose: () => void set.delete(listener) };
  };
  const policy = {
    onRetry: (listener: (e: RetryEventLike) => void) => subscribe(retryListeners, listener),
    onGiveUp: (listener: (e: GiveUpEventLike) => void) => subscribe(giveUpListeners, listener),
    listenerCount: () => retryListeners.size + giveUpListeners.size,
    retry: {
      // got 16 skips calculateDelay once `limit` is reached: leave the last word to the policy.
      limit: maxAttempts,
      methods: ['GET', 'POST'] as Method[],
      calculateDelay: ({ attemptCount, error }: { attemptCount: number; error: RequestError }) => {
        const floraError = fromGotError(error);
        const context = error.options.context as Record<string, unknown>;
        const record = getCallRecord(context);
        const base = {
          attempt: attemptCount,
          error: floraError,
          requestId: readRequestId(error.response?.headers),
          method: error.options.method,
          operation: floraOperation(error.options.method, error.options.url ?? ''),
          workspaceId: undefined,
        };
        if (!floraError.retryable || attemptCount >= maxAttempts) {
          const reason = floraError.retryable ? 'attempts_exhausted' : 'not_retryable';
          record.giveUpReason = reason;
          floraError.giveUpReason = reason;
          for (const l of giveUpListeners) l({ ...base, reason, retryAfterMs: floraError.retryAfterMs });
          return 0;
        }
        record.lastRetry = { attempt: attemptCount, delayMs, reason: floraError.category };
        for (const l of retryListeners) l({ ...base, delayMs, reason: floraError.category });
        return delayMs;
      },
    },
  };
  return policy;
}

/**
 * One simulator for a whole test file: started before the first test, closed after the last, its faults
 * and stats cleared before each test. `use` receives it once it is up.
 */
export function useSharedSimulator(use: (sim: Simulator) => void): void {
  let sim: Simulator | undefined;
  beforeAll(async () => {
    sim = await startSimulator();
    use(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(() => {
    sim?.faults.clear();
    sim?.resetStats();
  });
}
