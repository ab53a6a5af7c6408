import type { LogLevel, LogMethod, RequestIdLogger } from './RequestIdLogger.js';

/**
 * Calls `logger[level](fields, msg)` as a method. A logger that throws (or returns a promise that
 * rejects) never breaks the call it is logging: the failure is dropped.
 */
export function safeLog(
  logger: RequestIdLogger | undefined,
  level: LogLevel | false,
  fields: Record<string, unknown>,
  msg: string,
): void {
  if (logger === undefined || level === false) return;
  try {
    const method = logger[level] as LogMethod | undefined;
    if (typeof method !== 'function') return;
    const result: unknown = method.call(logger, fields, msg);
    if (typeof (result as { then?: unknown } | null)?.then === 'function') {
      (result as Promise<unknown>).then(undefined, () => undefined);
    }
  } catch {
    // A broken logger must not change the outcome of a FLORA call.
  }
}

/**
 * Whether `logger` would write a line at `level`, asked through its own `isLevelEnabled` (pino, winston)
 * where it has one, so that lines it would drop are never built. A logger without it, or whose check
 * throws, is given every line.
 */
export function levelEnabled(logger: RequestIdLogger, level: LogLevel): boolean {
  const check = logger.isLevelEnabled;
  if (typeof check !== 'function') return true;
  try {
    return check.call(logger, level) !== false;
  } catch {
    return true;
  }
}
