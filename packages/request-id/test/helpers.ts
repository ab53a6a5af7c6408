import { SIMULATOR_API_KEY, type Simulator } from '@flora-resilience/simulator';
import got, { type Got } from 'got';
import type { LogLevel, RequestIdLogger } from '@flora-resilience/request-id';

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
