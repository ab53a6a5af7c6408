/** The log levels a pino-compatible logger offers (pino, bunyan-style, or your own wrapper). */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Every valid {@link LogLevel}, for validation and docs. */
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** One logging method: pino's `(mergingObject, message)` signature. */
export type LogMethod = (obj: Record<string, unknown>, msg: string) => unknown;

/**
 * A pino-compatible logger: an object with a method per level you use (`logger.warn(obj, msg)`).
 * A pino instance works unchanged; so does anything with the same call shape. Methods are called as
 * methods (`this` is the logger).
 */
export type RequestIdLogger = { readonly [L in LogLevel]?: LogMethod } & {
  /** pino's (and winston's) level check: when present, lines of a disabled level are not even built. */
  readonly isLevelEnabled?: (level: string) => boolean;
};
