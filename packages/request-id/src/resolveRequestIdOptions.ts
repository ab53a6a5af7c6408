import { LOG_LEVELS, type LogLevel, type RequestIdLogger } from './RequestIdLogger.js';
import type { RetryEventsLike } from './RetryEventsLike.js';
import { LOG_LINE_KINDS, type LogLineKind } from './toLogFields.js';

/** Per line: the level to log it at, or `false` to drop it. */
export type RequestIdLogLevels = { readonly [K in LogLineKind]?: LogLevel | false };

export interface FloraRequestIdOptions {
  /** A pino-compatible logger. Default: none, so nothing is logged (ids are still captured). */
  readonly logger?: RequestIdLogger | undefined;
  /** Default `{ retry: 'warn', failure: 'error', success: 'debug' }`. */
  readonly levels?: RequestIdLogLevels | undefined;
  /** Workspace stamped on lines and errors when the call does not say (`context.flora.workspaceId`). */
  readonly workspaceId?: string | undefined;
  /** The retry policy object (anything with `onRetry`), to log each retry when it is decided. */
  readonly retryEvents?: RetryEventsLike | undefined;
  /** Name of the ISO-8601 timestamp field, or `false` to leave it to the logger. Default `'time'`. */
  readonly timeKey?: string | false | undefined;
  /** Clock (epoch ms). Default `Date.now`. */
  readonly clock?: (() => number) | undefined;
}

/** Options with every default applied. */
export interface ResolvedRequestIdOptions {
  readonly logger: RequestIdLogger | undefined;
  readonly levels: { readonly [K in LogLineKind]: LogLevel | false };
  readonly workspaceId: string | undefined;
  readonly retryEvents: RetryEventsLike | undefined;
  readonly timeKey: string | false;
  readonly clock: () => number;
}

/** The defaults, in one place. */
export const DEFAULT_LEVELS = { retry: 'warn', failure: 'error', success: 'debug' } as const satisfies {
  readonly [K in LogLineKind]: LogLevel;
};

const show = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
};

const KNOWN = new Set(['logger', 'levels', 'workspaceId', 'retryEvents', 'timeKey', 'clock']);

/**
 * Copies `options`, applies the defaults and validates loudly: a `TypeError`/`RangeError` naming the
 * option and the bad value. Never mutates its input.
 */
export function resolveRequestIdOptions(options: FloraRequestIdOptions = {}): ResolvedRequestIdOptions {
  const where = 'floraRequestId';
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw new TypeError(
        `${where}: unknown option ${JSON.stringify(key)} (known: ${[...KNOWN].join(', ')})`,
      );
    }
  }
  const { logger, levels, workspaceId, retryEvents, timeKey, clock } = options;

  const resolvedLevels: { [K in LogLineKind]: LogLevel | false } = { ...DEFAULT_LEVELS };
  if (levels !== undefined) {
    if (typeof levels !== 'object' || levels === null || Array.isArray(levels)) {
      throw new TypeError(`${where}: options.levels must be an object, got ${show(levels)}`);
    }
    for (const key of Object.keys(levels)) {
      if (!(LOG_LINE_KINDS as readonly string[]).includes(key)) {
        throw new TypeError(
          `${where}: unknown key options.levels.${key} (known: ${LOG_LINE_KINDS.join(', ')})`,
        );
      }
      const level = (levels as Record<string, unknown>)[key];
      if (level === undefined) continue;
      if (level !== false && !(LOG_LEVELS as readonly unknown[]).includes(level)) {
        throw new RangeError(
          `${where}: options.levels.${key} must be one of ${LOG_LEVELS.join(', ')} or false, got ${show(level)}`,
        );
      }
      resolvedLevels[key as LogLineKind] = level as LogLevel | false;
    }
  }

  if (logger !== undefined) {
    if (typeof logger !== 'object' || logger === null) {
      throw new TypeError(
        `${where}: options.logger must be a pino-compatible logger object, got ${show(logger)}`,
      );
    }
    for (const kind of LOG_LINE_KINDS) {
      const level = resolvedLevels[kind];
      if (level === false) continue;
      const method = (logger as Record<string, unknown>)[level];
      if (typeof method !== 'function') {
        throw new TypeError(
          `${where}: options.logger.${level} must be a function (options.levels.${kind} is ${JSON.stringify(level)}), got ${show(method)}`,
        );
      }
    }
  }

  if (workspaceId !== undefined && (typeof workspaceId !== 'string' || workspaceId.trim() === '')) {
    throw new TypeError(`${where}: options.workspaceId must be a non-empty string, got ${show(workspaceId)}`);
  }

  if (retryEvents !== undefined) {
    const r = retryEvents as unknown as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null || typeof r.onRetry !== 'function') {
      throw new TypeError(
        `${where}: options.retryEvents must be an object with an onRetry(listener) method (the retry policy), got ${show(retryEvents)}`,
      );
    }
    if (r.onGiveUp !== undefined && typeof r.onGiveUp !== 'function') {
      throw new TypeError(
        `${where}: options.retryEvents.onGiveUp must be a function when present, got ${show(r.onGiveUp)}`,
      );
    }
  }

  if (timeKey !== undefined && timeKey !== false && (typeof timeKey !== 'string' || timeKey === '')) {
    throw new TypeError(
      `${where}: options.timeKey must be a non-empty string or false, got ${show(timeKey)}`,
    );
  }

  if (clock !== undefined && typeof clock !== 'function') {
    throw new TypeError(`${where}: options.clock must be a function returning epoch ms, got ${show(clock)}`);
  }

  return {
    logger,
    levels: resolvedLevels,
    workspaceId,
    retryEvents,
    timeKey: timeKey ?? 'time',
    clock: clock ?? (() => Date.now()),
  };
}
