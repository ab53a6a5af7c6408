import { randomUUID } from 'node:crypto';
import type { BackoffOptions, Jitter } from './backoffDelay.js';
import { type CooldownStore, createMemoryCooldownStore } from './CooldownStore.js';

/** Retry budget (Finagle/Envoy style): retries may add at most `ratio` extra load, plus a small floor. */
export interface RetryBudgetOptions {
  /** Retries allowed per logical call, on average over the window. Default 0.2 (20 % extra load). */
  readonly ratio?: number;
  /** Retries always allowed per second, so that a quiet client can still retry. Default 10 (Finagle's). */
  readonly minRetriesPerSecond?: number;
  /** Sliding window the ratio and the floor are counted over. Default 10 000 ms (Finagle's TTL). */
  readonly windowMs?: number;
}

/** Workspace cooldown: a 429 pauses every call of the same workspace in this process until its end. */
export interface CooldownOptions {
  /** Where pauses are kept. Default: an in-process store. */
  readonly store?: CooldownStore;
  /** Waiting calls are released spread over this share of the pause… Default 0.25. */
  readonly spreadRatio?: number;
  /** …but over at most this long. Default 1000 ms. */
  readonly maxSpreadMs?: number;
}

/** Options of {@link createRetryPolicy} / `floraRetry` / `withFloraRetry`. Every field is optional. */
export interface RetryOptions {
  /** Attempts in all, the first included (1 = never retry). Default 3 (FLORA's documented advice). */
  readonly maxAttempts?: number;
  /** Backoff before the first retry; doubles each retry. Default 1000 ms (FLORA's docs). */
  readonly baseDelayMs?: number;
  /** Cap of one backoff. Default 30 000 ms (FLORA's docs). */
  readonly maxDelayMs?: number;
  /** Default `'equal'`: uniform in [cap/2, cap]. */
  readonly jitter?: Jitter;
  /** A server-requested wait longer than this is not slept: the call fails at once. Default 60 000 ms. */
  readonly maxRetryAfterMs?: number;
  /** Total time for one logical call, attempts and waits included. Default: none (per call: `context.flora.deadlineMs`). */
  readonly deadlineMs?: number;
  /** Retry budget, or `false` to turn it off. Default on: `{ ratio: 0.2, minRetriesPerSecond: 10, windowMs: 10000 }`. */
  readonly budget?: RetryBudgetOptions | false;
  /** Workspace cooldown, or `false` to turn it off. Default on. */
  readonly cooldown?: CooldownOptions | false;
  /** The workspace every call is billed to (a cooldown key and an event field). Default: derived per call. */
  readonly workspaceId?: string;
  /** Mint an idempotency key per logical POST/PATCH (`true`), never (`false`), or with this function. Default `true`. */
  readonly idempotencyKey?: boolean | (() => string);
  /** Random source in [0, 1) for jitter and spread. Default `Math.random`. */
  readonly random?: () => number;
  /** Clock (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
}

export interface ResolvedBudget {
  readonly ratio: number;
  readonly minRetriesPerSecond: number;
  readonly windowMs: number;
}

export interface ResolvedCooldown {
  readonly store: CooldownStore;
  readonly spreadRatio: number;
  readonly maxSpreadMs: number;
}

export interface ResolvedRetryOptions extends BackoffOptions {
  readonly maxAttempts: number;
  readonly maxRetryAfterMs: number;
  readonly deadlineMs: number | undefined;
  readonly budget: ResolvedBudget | false;
  readonly cooldown: ResolvedCooldown | false;
  readonly workspaceId: string | undefined;
  readonly idempotencyKey: false | (() => string);
  readonly random: () => number;
  readonly now: () => number;
}

export const DEFAULT_RETRY_OPTIONS = {
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 'equal',
  maxRetryAfterMs: 60_000,
  budget: { ratio: 0.2, minRetriesPerSecond: 10, windowMs: 10_000 },
  cooldown: { spreadRatio: 0.25, maxSpreadMs: 1000 },
} as const;

const KEYS = [
  'maxAttempts',
  'baseDelayMs',
  'maxDelayMs',
  'jitter',
  'maxRetryAfterMs',
  'deadlineMs',
  'budget',
  'cooldown',
  'workspaceId',
  'idempotencyKey',
  'random',
  'now',
] as const;
const JITTERS: readonly Jitter[] = ['equal', 'full', 'none'];

export const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
};

export function assertPlainObject(where: string, value: unknown): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where} must be an object, got ${Array.isArray(value) ? 'an array' : show(value)}`);
  }
}

export function assertKnownKeys(
  where: string,
  value: Record<string, unknown>,
  keys: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new TypeError(
        `${where} has an unknown option ${JSON.stringify(key)} (known: ${keys.join(', ')})`,
      );
    }
  }
}

export function readNumber(
  where: string,
  value: unknown,
  {
    min,
    max,
    integer = false,
    minExclusive = false,
  }: { min: number; max: number; integer?: boolean; minExclusive?: boolean },
): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${where} must be a number, got ${show(value)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new RangeError(`${where} must be an integer, got ${show(value)}`);
  }
  if (value > max || value < min || (minExclusive && value === min)) {
    throw new RangeError(
      `${where} must be ${minExclusive ? '>' : '≥'} ${min} and ≤ ${max}, got ${show(value)}`,
    );
  }
  return value;
}

const DAY = 86_400_000;

/** Copies, validates and applies every default in one place. Never mutates `options`. */
export function resolveRetryOptions(
  options: unknown,
  where = 'createRetryPolicy(options)',
): ResolvedRetryOptions {
  const o = options === undefined ? {} : options;
  assertPlainObject(where, o);
  assertKnownKeys(where, o, KEYS);
  const d = DEFAULT_RETRY_OPTIONS;
  const num = (key: string, fallback: number | undefined, bounds: Parameters<typeof readNumber>[2]) =>
    o[key] === undefined ? fallback : readNumber(`${where}.${key}`, o[key], bounds);

  const maxAttempts = num('maxAttempts', d.maxAttempts, { min: 1, max: 100, integer: true }) as number;
  const baseDelayMs = num('baseDelayMs', d.baseDelayMs, { min: 0, max: DAY }) as number;
  const maxDelayMs = num('maxDelayMs', d.maxDelayMs, { min: 0, max: DAY }) as number;
  if (maxDelayMs < baseDelayMs) {
    throw new RangeError(`${where}.maxDelayMs (${maxDelayMs}) must be ≥ baseDelayMs (${baseDelayMs})`);
  }
  const jitter = o.jitter === undefined ? d.jitter : o.jitter;
  if (!JITTERS.includes(jitter as Jitter)) {
    throw new TypeError(
      `${where}.jitter must be one of ${JITTERS.map((j) => `'${j}'`).join(', ')}, got ${show(jitter)}`,
    );
  }
  const maxRetryAfterMs = num('maxRetryAfterMs', d.maxRetryAfterMs, { min: 0, max: DAY }) as number;
  const deadlineMs = num('deadlineMs', undefined, { min: 0, max: DAY, minExclusive: true });

  let budget: ResolvedBudget | false;
  if (o.budget === false) budget = false;
  else if (o.budget === undefined) budget = { ...d.budget };
  else {
    const w = `${where}.budget`;
    assertPlainObject(`${w} (an object or false)`, o.budget);
    const b = o.budget;
    assertKnownKeys(w, b, ['ratio', 'minRetriesPerSecond', 'windowMs']);
    budget = {
      ratio: b.ratio === undefined ? d.budget.ratio : readNumber(`${w}.ratio`, b.ratio, { min: 0, max: 100 }),
      minRetriesPerSecond:
        b.minRetriesPerSecond === undefined
          ? d.budget.minRetriesPerSecond
          : readNumber(`${w}.minRetriesPerSecond`, b.minRetriesPerSecond, { min: 0, max: 1e6 }),
      windowMs:
        b.windowMs === undefined
          ? d.budget.windowMs
          : readNumber(`${w}.windowMs`, b.windowMs, { min: 10, max: DAY, integer: true }),
    };
  }

  let cooldown: ResolvedCooldown | false;
  if (o.cooldown === false) cooldown = false;
  else {
    const w = `${where}.cooldown`;
    const c = o.cooldown === undefined ? {} : o.cooldown;
    assertPlainObject(`${w} (an object or false)`, c);
    assertKnownKeys(w, c, ['store', 'spreadRatio', 'maxSpreadMs']);
    const store = c.store;
    if (
      store !== undefined &&
      (typeof store !== 'object' ||
        store === null ||
        typeof (store as CooldownStore).get !== 'function' ||
        typeof (store as CooldownStore).extend !== 'function')
    ) {
      throw new TypeError(
        `${w}.store must be a CooldownStore ({ get(key, now), extend(key, until, now) }), got ${show(store)}`,
      );
    }
    cooldown = {
      store: (store as CooldownStore | undefined) ?? createMemoryCooldownStore(),
      spreadRatio:
        c.spreadRatio === undefined
          ? d.cooldown.spreadRatio
          : readNumber(`${w}.spreadRatio`, c.spreadRatio, { min: 0, max: 1 }),
      maxSpreadMs:
        c.maxSpreadMs === undefined
          ? d.cooldown.maxSpreadMs
          : readNumber(`${w}.maxSpreadMs`, c.maxSpreadMs, { min: 0, max: 60_000 }),
    };
  }

  const workspaceId = o.workspaceId;
  if (workspaceId !== undefined && (typeof workspaceId !== 'string' || workspaceId.trim() === '')) {
    throw new TypeError(`${where}.workspaceId must be a non-empty string, got ${show(workspaceId)}`);
  }
  const key = o.idempotencyKey;
  if (key !== undefined && typeof key !== 'boolean' && typeof key !== 'function') {
    throw new TypeError(
      `${where}.idempotencyKey must be true, false or a function returning a string, got ${show(key)}`,
    );
  }
  for (const name of ['random', 'now'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') {
      throw new TypeError(`${where}.${name} must be a function, got ${show(o[name])}`);
    }
  }
  return {
    maxAttempts,
    baseDelayMs,
    maxDelayMs,
    jitter: jitter as Jitter,
    maxRetryAfterMs,
    deadlineMs,
    budget,
    cooldown,
    workspaceId: workspaceId as string | undefined,
    idempotencyKey: key === false ? false : typeof key === 'function' ? (key as () => string) : randomUUID,
    random: (o.random as (() => number) | undefined) ?? Math.random,
    now: (o.now as (() => number) | undefined) ?? Date.now,
  };
}
