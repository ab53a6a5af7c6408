import { type BreakerRegistry, createBreakerRegistry } from '@flora-resilience/circuit-breaker';
import { createFloraMetrics, type FloraMetrics, isFloraMetrics } from '@flora-resilience/metrics';
import { createRetryPolicy, isRetryPolicy, type RetryPolicy } from '@flora-resilience/retry';
import { DEFAULT_BASE_URL, type FloraClientOptions } from './FloraClientOptions.js';

const KNOWN = new Set([
  'apiKey',
  'baseUrl',
  'workspaceId',
  'timeoutMs',
  'deadlineMs',
  'retry',
  'circuitBreaker',
  'registry',
  'metrics',
  'logger',
  'requestId',
  'got',
  'env',
]);

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_DEADLINE_MS = 120_000;

export interface ResolvedClientOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly workspaceId: string | undefined;
  readonly timeoutMs: number | false;
  readonly deadlineMs: number | false;
  readonly retry: RetryPolicy | undefined;
  readonly breakers: BreakerRegistry | undefined;
  readonly metrics: FloraMetrics | undefined;
  /** The parts this call created (and so disposes); parts the user passed in stay theirs. */
  readonly owned: readonly { dispose(): void }[];
}

function isBreakerRegistry(value: unknown): value is BreakerRegistry {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BreakerRegistry).onStateChange === 'function' &&
    typeof (value as BreakerRegistry).get === 'function' &&
    typeof (value as BreakerRegistry).dispose === 'function'
  );
}

function duration(name: string, value: unknown, fallback: number): number | false {
  if (value === undefined) return fallback;
  if (value === false) return false;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `createFloraClient: options.${name} must be a positive number of ms or false, got ${String(value)}`,
    );
  }
  return value;
}

/** Validates and applies the defaults, in one place. Never mutates `options`. */
export function resolveClientOptions(options: FloraClientOptions, caller: string): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${caller}: options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`${caller}: unknown option "${key}"`);
  }
  const env = options.env ?? process.env;

  const apiKey = options.apiKey ?? env.FLORA_API_KEY;
  if (apiKey === undefined || apiKey === '') {
    throw new TypeError(
      `${caller}: no FLORA API key: pass options.apiKey or set FLORA_API_KEY (create one in FLORA under Settings → API Keys)`,
    );
  }
  if (typeof apiKey !== 'string' || /\s/.test(apiKey.trim()) || apiKey !== apiKey.trim()) {
    throw new TypeError(
      `${caller}: the API key must be a string without whitespace (a doubled "Bearer " prefix is a common mistake)`,
    );
  }
  if (/^bearer$/i.test(apiKey))
    throw new TypeError(`${caller}: the API key must not include the "Bearer" prefix`);

  const rawBase = options.baseUrl ?? env.FLORA_BASE_URL ?? DEFAULT_BASE_URL;
  let baseUrl: string;
  try {
    const u = new URL(rawBase);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
    if (u.username || u.password) throw new Error('credentials');
    baseUrl = `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    throw new TypeError(
      `${caller}: options.baseUrl must be an http(s) URL without credentials, got ${JSON.stringify(rawBase)}`,
    );
  }

  const { workspaceId } = options;
  if (workspaceId !== undefined && (typeof workspaceId !== 'string' || !/^ws_\S+$/.test(workspaceId))) {
    throw new TypeError(
      `${caller}: options.workspaceId must be a FLORA workspace id (ws_…), got ${JSON.stringify(workspaceId)}`,
    );
  }
  const timeoutMs = duration('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const deadlineMs = duration('deadlineMs', options.deadlineMs, DEFAULT_DEADLINE_MS);
  if (timeoutMs !== false && deadlineMs !== false && timeoutMs > deadlineMs) {
    throw new RangeError(
      `${caller}: options.timeoutMs (${timeoutMs}) must not exceed options.deadlineMs (${deadlineMs})`,
    );
  }
  if (options.logger !== undefined) {
    const l = options.logger as unknown as Record<string, unknown>;
    if (
      typeof l !== 'object' ||
      l === null ||
      typeof l.warn !== 'function' ||
      typeof l.error !== 'function'
    ) {
      throw new TypeError(
        `${caller}: options.logger must be a pino-compatible logger (with warn, error, debug methods)`,
      );
    }
  }

  const owned: { dispose(): void }[] = [];

  let retry: RetryPolicy | undefined;
  if (options.retry !== false) {
    if (isRetryPolicy(options.retry)) {
      retry = options.retry;
    } else {
      retry = createRetryPolicy({
        ...(deadlineMs === false ? {} : { deadlineMs }),
        ...(workspaceId === undefined ? {} : { workspaceId }),
        ...(options.retry ?? {}),
      });
      owned.push(retry);
    }
  }

  let breakers: BreakerRegistry | undefined;
  if (options.circuitBreaker !== false) {
    if (isBreakerRegistry(options.circuitBreaker)) {
      breakers = options.circuitBreaker;
    } else {
      breakers = createBreakerRegistry(options.circuitBreaker ?? {});
      owned.push(breakers);
    }
  }

  let metrics: FloraMetrics | undefined;
  if (options.metrics !== false) {
    if (isFloraMetrics(options.metrics)) {
      metrics = options.metrics;
    } else if (options.metrics !== undefined) {
      metrics = createFloraMetrics({
        ...(options.registry ? { registry: options.registry } : {}),
        ...options.metrics,
      });
    } else if (options.registry !== undefined) {
      metrics = createFloraMetrics({ registry: options.registry });
    }
  }

  return { apiKey, baseUrl, workspaceId, timeoutMs, deadlineMs, retry, breakers, metrics, owned };
}
