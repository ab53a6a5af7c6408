import {
  FloraAbortError,
  FloraDeadlineError,
  FloraError,
  floraOperation,
  isFloraError,
} from '@flora-resilience/errors';
import pRetry from 'p-retry';
import { classifyThrown } from './classifyThrown.js';
import {
  type AttemptContext,
  createRetryPolicy,
  isRetryPolicy,
  type RetryPolicy,
} from './createRetryPolicy.js';
import type { GiveUpReason } from './GIVE_UP_REASONS.js';
import type { RetryOptions } from './RetryOptions.js';
import { assertKnownKeys, assertPlainObject, show } from './RetryOptions.js';

/** What each attempt of `withFloraRetry` receives. */
export interface FloraAttempt {
  /** 1-based. */
  readonly attempt: number;
  /** Aborts when the caller's signal fires or the deadline passes: hand it to the SDK/fetch call. */
  readonly signal: AbortSignal;
  /** The same key on every attempt (for mutations), or `undefined`. */
  readonly idempotencyKey: string | undefined;
}

/** Per-call options of {@link withFloraRetry}. */
export interface WithFloraRetryOptions {
  /** A ready policy (shares budget, cooldowns and listeners) or options to create one. */
  readonly policy?: RetryPolicy | RetryOptions;
  /** HTTP method of the wrapped call; decides whether a network failure may be retried. Default `'GET'`. */
  readonly method?: string;
  /** Route or URL of the wrapped call, for events and errors (e.g. `/techniques/my-technique/runs`). */
  readonly url?: string;
  /** Total time for the call, attempts and waits included. Default: the policy's `deadlineMs`. */
  readonly deadlineMs?: number;
  /** The caller's signal: aborts the attempt in flight and the wait. */
  readonly signal?: AbortSignal;
  /** Idempotency key for every attempt; `true` mints one (default for POST/PATCH), `false` none. */
  readonly idempotencyKey?: string | boolean;
  /** The workspace the call is billed to. */
  readonly workspaceId?: string;
  /** Classify a thrown value yourself; return `undefined` to fall back to the built-in classifier. */
  readonly classify?: (thrown: unknown) => FloraError | undefined;
}

const KEYS = ['policy', 'method', 'url', 'deadlineMs', 'signal', 'idempotencyKey', 'workspaceId', 'classify'];

/**
 * The same policy for calls that are not got (FLORA's official SDK created with `maxRetries: 0`, fetch…),
 * on p-retry: the policy decides each retry and its wait, honours retry-after, the deadline, the budget
 * and the workspace cooldown, and emits the same events. Rejects with the final `FloraError`, its
 * `giveUpReason` set and the thrown value as `cause`.
 */
export async function withFloraRetry<T>(
  fn: (attempt: FloraAttempt) => T | PromiseLike<T>,
  options: WithFloraRetryOptions = {},
): Promise<T> {
  if (typeof fn !== 'function') throw new TypeError(`withFloraRetry: fn must be a function, got ${show(fn)}`);
  const raw: unknown = options;
  assertPlainObject('withFloraRetry(fn, options)', raw);
  assertKnownKeys('withFloraRetry(fn, options)', raw, KEYS);
  const method = (options.method ?? 'GET').toUpperCase();
  if (
    typeof options.method !== 'undefined' &&
    (typeof options.method !== 'string' || !/^[A-Za-z]+$/.test(options.method))
  ) {
    throw new TypeError(`withFloraRetry: options.method must be an HTTP method, got ${show(options.method)}`);
  }
  if (options.url !== undefined && typeof options.url !== 'string') {
    throw new TypeError(`withFloraRetry: options.url must be a string, got ${show(options.url)}`);
  }
  if (
    options.deadlineMs !== undefined &&
    (typeof options.deadlineMs !== 'number' || !(options.deadlineMs > 0))
  ) {
    throw new RangeError(
      `withFloraRetry: options.deadlineMs must be a number > 0, got ${show(options.deadlineMs)}`,
    );
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError(`withFloraRetry: options.signal must be an AbortSignal, got ${show(options.signal)}`);
  }
  if (options.classify !== undefined && typeof options.classify !== 'function') {
    throw new TypeError(`withFloraRetry: options.classify must be a function, got ${show(options.classify)}`);
  }
  const key = options.idempotencyKey;
  if (key !== undefined && typeof key !== 'boolean' && (typeof key !== 'string' || key === '')) {
    throw new TypeError(
      `withFloraRetry: options.idempotencyKey must be a non-empty string or a boolean, got ${show(key)}`,
    );
  }
  if (
    options.workspaceId !== undefined &&
    (typeof options.workspaceId !== 'string' || options.workspaceId === '')
  ) {
    throw new TypeError(
      `withFloraRetry: options.workspaceId must be a non-empty string, got ${show(options.workspaceId)}`,
    );
  }
  const ownPolicy = !isRetryPolicy(options.policy);
  const policy: RetryPolicy = isRetryPolicy(options.policy)
    ? options.policy
    : createRetryPolicy(options.policy as RetryOptions | undefined);
  const o = policy.options;
  const mutation = method === 'POST' || method === 'PATCH';
  const idempotencyKey =
    typeof key === 'string'
      ? key
      : key === false || (key === undefined && !mutation) || o.idempotencyKey === false
        ? undefined
        : o.idempotencyKey();
  const workspaceId = options.workspaceId ?? o.workspaceId;
  const deadlineMs = options.deadlineMs ?? o.deadlineMs;
  const startedAt = o.now();
  const deadlineAt = deadlineMs === undefined ? Number.POSITIVE_INFINITY : startedAt + deadlineMs;
  const operation = floraOperation(method, options.url ?? '/');
  const cooldownKey = workspaceId === undefined ? 'anonymous' : `ws:${workspaceId}`;
  const ctx = (attempt: number, aborted = false): AttemptContext => ({
    attempt,
    method,
    operation,
    hasIdempotencyKey: idempotencyKey !== undefined,
    startedAt,
    deadlineMs,
    cooldownKey,
    workspaceId,
    aborted,
  });

  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let deadlineTimer: NodeJS.Timeout | undefined;
  if (deadlineMs !== undefined) {
    deadlineTimer = setTimeout(
      () => controller.abort(new Error('deadline')),
      Math.max(0, deadlineAt - o.now()),
    );
    deadlineTimer.unref();
  }
  let waitTimer: NodeJS.Timeout | undefined;
  let lastAttempt = 0;
  let settled: FloraError | undefined;
  policy.startCall();

  /** The error for a call ended by the caller's signal or the deadline (`cause`: what was in flight). */
  const stopped = (cause?: FloraError): FloraError => {
    const base = {
      method,
      url: options.url,
      workspaceId,
      attempts: Math.max(1, lastAttempt),
      requestIds: cause?.requestIds,
      retryAfterMs: cause?.retryAfterMs,
      status: cause?.status,
      cause: cause ?? controller.signal.reason,
    };
    const error = options.signal?.aborted
      ? new FloraAbortError({
          ...base,
          code: 'aborted',
          message: 'The call was aborted by the caller',
          category: 'aborted',
          retryable: false,
          hint: 'The caller’s AbortSignal fired: nothing to fix on FLORA’s side.',
        })
      : new FloraDeadlineError({
          ...base,
          code: 'deadline_exceeded',
          message: `The call’s deadline of ${deadlineMs} ms ran out${cause ? `; last failure: ${cause.message}` : ''}`,
          category: 'deadline',
          retryable: false,
          hint: 'The call’s total deadline ran out across attempts and waits: raise `deadlineMs`.',
          deadlineMs,
        });
    return error;
  };

  const sleep = (ms: number, cause: FloraError) =>
    new Promise<void>((resolve, reject) => {
      if (controller.signal.aborted) {
        reject(stopped(cause));
        return;
      }
      const onAbort = () => {
        clearTimeout(waitTimer);
        reject(stopped(cause));
      };
      waitTimer = setTimeout(() => {
        controller.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      waitTimer.unref();
      controller.signal.addEventListener('abort', onAbort, { once: true });
    });

  const classify = (thrown: unknown): FloraError => {
    if (isFloraError(thrown)) return thrown;
    const custom = options.classify?.(thrown);
    if (custom !== undefined && !isFloraError(custom)) {
      throw new TypeError(
        `withFloraRetry: options.classify must return a FloraError or undefined, got ${show(custom)}`,
      );
    }
    return custom ?? classifyThrown(thrown, { method, url: options.url });
  };

  try {
    return await pRetry(
      async (attemptNumber) => {
        lastAttempt = attemptNumber;
        if (controller.signal.aborted) throw stopped();
        const gate = policy.gate;
        if (gate?.mustWait(cooldownKey)) {
          const waitMs = gate.remaining(cooldownKey);
          if (waitMs > o.maxRetryAfterMs || waitMs >= deadlineAt - o.now()) {
            const error = new FloraError({
              code: 'workspace_cooldown',
              message: `The workspace is paused by FLORA’s rate limit for another ${waitMs} ms, longer than this call may wait`,
              category: 'rate_limited',
              retryable: true,
              hint: 'FLORA asked every call of this workspace to wait (429 retry-after): wait, or lower the request rate.',
              retryAfterMs: waitMs,
              method,
              url: options.url,
              workspaceId,
            });
            error.giveUpReason = waitMs > o.maxRetryAfterMs ? 'retry_after_too_long' : 'deadline_exceeded';
            throw error;
          }
          try {
            await gate.wait(cooldownKey, {
              priority: attemptNumber - 1,
              deadlineAt,
              signal: controller.signal,
            });
          } catch {
            throw stopped();
          }
        }
        try {
          return await fn({ attempt: attemptNumber, signal: controller.signal, idempotencyKey });
        } catch (thrown) {
          const error = classify(thrown);
          if (controller.signal.aborted) throw stopped(error);
          throw error;
        }
      },
      {
        retries: 1000,
        minTimeout: 0,
        factor: 1,
        randomize: false,
        shouldRetry: async ({ error, attemptNumber }) => {
          const floraError = error as FloraError;
          const decision = policy.decide(floraError, ctx(attemptNumber));
          if (!decision.retry) {
            settled = floraError;
            return false;
          }
          // A 429 paused the workspace: the next attempt waits in the workspace queue instead.
          if (!(floraError.status === 429 && policy.gate?.mustWait(cooldownKey))) {
            await sleep(decision.delayMs, floraError);
          }
          return true;
        },
      },
    );
  } catch (thrown) {
    if (settled) throw settled;
    // Ended while waiting (caller's signal, deadline): report it once.
    const error = isFloraError(thrown) ? thrown : classify(thrown);
    const reason: GiveUpReason =
      error.category === 'aborted'
        ? 'aborted'
        : error.category === 'deadline'
          ? 'deadline_exceeded'
          : 'not_retryable';
    policy.giveUp(error, ctx(Math.max(1, lastAttempt), reason === 'aborted'), reason);
    throw error;
  } finally {
    clearTimeout(deadlineTimer);
    clearTimeout(waitTimer);
    options.signal?.removeEventListener('abort', onCallerAbort);
    if (ownPolicy) policy.dispose();
  }
}
