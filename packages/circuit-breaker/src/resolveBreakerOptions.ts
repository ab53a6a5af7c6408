import { floraOperation } from '@flora-resilience/errors';
import type { BreakerKeyFunction, BreakerRegistryOptions } from './BreakerRegistryOptions.js';

/** Options with every default applied and every value checked. */
export interface ResolvedBreakerOptions {
  readonly maxKeys: number;
  readonly keyOf: BreakerKeyFunction;
  readonly volumeThreshold: number;
  readonly failureThresholdPercentage: number;
  readonly rollingWindowMs: number;
  readonly rollingBuckets: number;
  readonly resetTimeoutMs: number;
  readonly maxResetTimeoutMs: number;
  readonly backoffFactor: number;
}

/** The default key: FLORA's route template with technique slugs kept (`POST /techniques/thumbnail-v3/runs`). */
export const defaultBreakerKey: BreakerKeyFunction = (method, url) => floraOperation(method, url);

/**
 * The defaults, and why:
 * - `maxKeys` 1000: keys are route templates, so a real service has tens; 1000 bounds memory (a few MB)
 *   even when a bad key function makes a key per URL.
 * - `volumeThreshold` 10: two or three unlucky failures among the first calls must not open a breaker.
 * - `failureThresholdPercentage` 80 over `rollingWindowMs` 10 s (`rollingBuckets` 10, 1 s each): the
 *   breaker is for an operation that is DOWN; one that is struggling is the retry budget's job. With 50
 *   (opossum's default) a 60 % brownout opened the breaker and the preset served 43 % of calls in the
 *   window, no better than no retry at all (bench/RESULTS.md); an outage fails ~100 % and still opens it.
 * - `resetTimeoutMs` 1 s, doubling (`backoffFactor` 2) per failed probe up to `maxResetTimeoutMs` 30 s:
 *   recovery is found within about a second of FLORA coming back after a short blip, and a long outage
 *   gets one probe per 30 s per operation. A fixed 10–30 s reset would either hide a recovery that long
 *   or keep probing a dead server every few seconds. 30 s matches FLORA's documented backoff cap.
 */
export const DEFAULT_BREAKER_OPTIONS = Object.freeze({
  maxKeys: 1000,
  keyOf: defaultBreakerKey,
  volumeThreshold: 10,
  failureThresholdPercentage: 80,
  rollingWindowMs: 10_000,
  rollingBuckets: 10,
  resetTimeoutMs: 1000,
  maxResetTimeoutMs: 30_000,
  backoffFactor: 2,
} satisfies ResolvedBreakerOptions);

/** setTimeout's ceiling: a longer delay fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

const KNOWN = new Set(Object.keys(DEFAULT_BREAKER_OPTIONS));

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function integer(where: string, name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: options.${name} must be an integer, got ${show(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${where}: options.${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function finite(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${where}: options.${name} must be a finite number, got ${show(value)}`);
  }
  return value;
}

/**
 * Copies the caller's options (never mutated), applies the defaults in one place and validates every
 * value, throwing a `TypeError` (wrong type, unknown option) or `RangeError` (out of range) that names
 * the option and the bad value.
 */
export function resolveBreakerOptions(
  options: BreakerRegistryOptions | undefined,
  where = 'createBreakerRegistry',
): ResolvedBreakerOptions {
  if (options === undefined) return DEFAULT_BREAKER_OPTIONS;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${show(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) {
      throw new TypeError(`${where}: unknown option '${name}' (known: ${[...KNOWN].join(', ')})`);
    }
  }
  const pick = <K extends keyof ResolvedBreakerOptions>(name: K): unknown =>
    options[name] === undefined ? DEFAULT_BREAKER_OPTIONS[name] : options[name];

  const keyOf = pick('keyOf');
  if (typeof keyOf !== 'function') {
    throw new TypeError(
      `${where}: options.keyOf must be a function (method, url) => string, got ${show(keyOf)}`,
    );
  }
  const maxKeys = integer(where, 'maxKeys', pick('maxKeys'), 1, 16_777_216);
  const volumeThreshold = integer(where, 'volumeThreshold', pick('volumeThreshold'), 0, 1_000_000);
  const failureThresholdPercentage = finite(
    where,
    'failureThresholdPercentage',
    pick('failureThresholdPercentage'),
  );
  if (failureThresholdPercentage < 0 || failureThresholdPercentage >= 100) {
    throw new RangeError(
      `${where}: options.failureThresholdPercentage must be at least 0 and below 100 (the breaker opens when failures exceed it), got ${failureThresholdPercentage}`,
    );
  }
  const rollingWindowMs = integer(where, 'rollingWindowMs', pick('rollingWindowMs'), 10, MAX_TIMER_MS);
  const rollingBuckets = integer(where, 'rollingBuckets', pick('rollingBuckets'), 1, 1000);
  if (rollingWindowMs % rollingBuckets !== 0 || rollingWindowMs / rollingBuckets < 10) {
    throw new RangeError(
      `${where}: options.rollingWindowMs (${rollingWindowMs}) must split into options.rollingBuckets (${rollingBuckets}) whole buckets of at least 10 ms`,
    );
  }
  const resetTimeoutMs = integer(where, 'resetTimeoutMs', pick('resetTimeoutMs'), 1, MAX_TIMER_MS);
  const maxResetTimeoutMs = integer(where, 'maxResetTimeoutMs', pick('maxResetTimeoutMs'), 1, MAX_TIMER_MS);
  if (maxResetTimeoutMs < resetTimeoutMs) {
    throw new RangeError(
      `${where}: options.maxResetTimeoutMs (${maxResetTimeoutMs}) must be at least options.resetTimeoutMs (${resetTimeoutMs})`,
    );
  }
  const backoffFactor = finite(where, 'backoffFactor', pick('backoffFactor'));
  if (backoffFactor < 1 || backoffFactor > 100) {
    throw new RangeError(`${where}: options.backoffFactor must be between 1 and 100, got ${backoffFactor}`);
  }
  return Object.freeze({
    maxKeys,
    keyOf: keyOf as BreakerKeyFunction,
    volumeThreshold,
    failureThresholdPercentage,
    rollingWindowMs,
    rollingBuckets,
    resetTimeoutMs,
    maxResetTimeoutMs,
    backoffFactor,
  });
}
