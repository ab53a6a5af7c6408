import {
  FloraDeadlineError,
  FloraError,
  floraOperation,
  fromGotError,
  getCallRecord,
} from '@flora-resilience/errors';
import type { BeforeErrorHook, BeforeRequestHook, ExtendOptions, HandlerFunction, RetryObject } from 'got';
import { cooldownKey } from './cooldownKey.js';
import {
  type AttemptContext,
  createRetryPolicy,
  isRetryPolicy,
  type RetryPolicy,
} from './createRetryPolicy.js';
import type { GiveUpReason } from './GIVE_UP_REASONS.js';
import { idempotencyPlan } from './idempotencyPlan.js';
import type { RetryOptions } from './RetryOptions.js';
import { readCallOptions } from './readCallOptions.js';

/** Where this package keeps its per-call state in got's `options.context`. */
export const RETRY_CONTEXT_KEY = '@flora-resilience/retry';

/** The methods got may retry; the policy decides which failures of which method really are. */
export const RETRY_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'POST', 'PATCH'] as const;

/** Per-call state, created once per logical call by the handler. */
export interface RetryCallState {
  readonly startedAt: number;
  readonly deadlineMs: number | undefined;
  readonly deadlineAt: number;
  readonly method: string;
  readonly operation: string;
  readonly idempotencyKey: string | undefined;
  readonly cooldownKey: string;
  readonly workspaceId: string | undefined;
  /** The caller's `timeout.request`, before the deadline capped it. */
  readonly attemptTimeoutMs: number | undefined;
  /** Attempts started. */
  attempts: number;
  /** The give-up reason, once decided. */
  gaveUp: GiveUpReason | undefined;
}

type Context = Record<string, unknown>;

/** got's context of the call an error belongs to: on got's error, or on the cause of a converted FloraError. */
const contextOf = (error: unknown): Context | undefined => {
  const e = error as
    | { options?: { context?: Context }; cause?: { options?: { context?: Context } } }
    | undefined;
  return e?.options?.context ?? e?.cause?.options?.context;
};

/** The per-call retry state of a got call, if `floraRetry` handled it. */
export function getRetryCallState(context: Context | undefined): RetryCallState | undefined {
  const state = context?.[RETRY_CONTEXT_KEY];
  return typeof state === 'object' && state !== null ? (state as RetryCallState) : undefined;
}

const attemptContext = (s: RetryCallState, attempt: number, aborted = false): AttemptContext => ({
  attempt,
  method: s.method,
  operation: s.operation,
  hasIdempotencyKey: s.idempotencyKey !== undefined,
  startedAt: s.startedAt,
  deadlineMs: s.deadlineMs,
  cooldownKey: s.cooldownKey,
  workspaceId: s.workspaceId,
  aborted,
});

function deadlineError(
  s: RetryCallState,
  message: string,
  extra: { cause?: unknown; from?: FloraError; retryAfterMs?: number | undefined; url?: string | undefined },
): FloraDeadlineError {
  const from = extra.from;
  const error = new FloraDeadlineError({
    code: 'deadline_exceeded',
    message,
    category: 'deadline',
    retryable: false,
    hint: 'The call’s total deadline ran out across attempts and waits: raise `deadlineMs`, or look the resource up before sending a mutation again.',
    status: from?.status,
    requestIds: from?.requestIds,
    retryAfterMs: extra.retryAfterMs ?? from?.retryAfterMs,
    attempts: Math.max(s.attempts, from?.attempts ?? 0),
    method: s.method,
    url: from?.url ?? extra.url,
    workspaceId: s.workspaceId,
    deadlineMs: s.deadlineMs,
    cause: extra.cause ?? from,
  });
  error.giveUpReason = 'deadline_exceeded';
  return error;
}

function cooldownTooLongError(s: RetryCallState, waitMs: number, url: string | undefined): FloraError {
  const error = new FloraError({
    code: 'workspace_cooldown',
    message: `The workspace is paused by FLORA’s rate limit for another ${waitMs} ms, longer than this call may wait`,
    category: 'rate_limited',
    retryable: true,
    hint: 'FLORA asked every call of this workspace to wait (429 retry-after): wait, or lower the request rate; raise `maxRetryAfterMs` to wait longer.',
    retryAfterMs: waitMs,
    attempts: s.attempts,
    method: s.method,
    url,
    workspaceId: s.workspaceId,
  });
  error.giveUpReason = 'retry_after_too_long';
  return error;
}

const originOf = (url: unknown): string | undefined => {
  try {
    const u = new URL(String(url));
    return `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
};

/**
 * got adapter: FLORA's retry policy on got's own retry loop. Returns a partial got config for
 * `got.extend(floraErrors(), floraRetry(policyOrOptions), …)`: `retry` (with `calculateDelay` as the sole
 * decider), a handler that creates the per-call state (deadline, idempotency key, cooldown key) and hooks
 * that wait out workspace cooldowns, cap each attempt to the remaining deadline and make the final error
 * carry why the policy gave up. Pass a ready {@link RetryPolicy} to share it with metrics and logs.
 */
export function floraRetry(policyOrOptions?: RetryPolicy | RetryOptions): ExtendOptions {
  const policy = isRetryPolicy(policyOrOptions)
    ? policyOrOptions
    : createRetryPolicy(policyOrOptions as RetryOptions | undefined);
  const o = policy.options;

  const handler: HandlerFunction = (options, next) => {
    // got ≥ 15 enforces its own retry rules (limit, statusCodes, errorCodes) BEFORE calling
    // calculateDelay, so the policy would never see a failure got's lists do not name, nor the last
    // attempt (no give-up reason, no event). The policy is the sole decider: switch that off where the
    // option exists (got < 14.5 has no such option, and always calls calculateDelay).
    const retryOptions = options.retry as { enforceRetryRules?: boolean };
    if ('enforceRetryRules' in retryOptions && retryOptions.enforceRetryRules !== false) {
      retryOptions.enforceRetryRules = false;
    }
    const context = options.context as Context;
    const call = readCallOptions(context);
    const method = (options.method ?? 'GET').toUpperCase();
    const url = options.url;
    const pathname = url instanceof URL ? url.pathname : String(url ?? '');
    const headers = options.headers as Record<string, string | string[] | undefined>;
    const rawHeaderKey = headers['idempotency-key'];
    const plan = idempotencyPlan({
      method,
      pathname,
      headerKey: typeof rawHeaderKey === 'string' && rawHeaderKey !== '' ? rawHeaderKey : undefined,
      json: options.json,
      callKey: call.idempotencyKey,
      mint: o.idempotencyKey,
    });
    if (plan.header !== undefined) options.headers = { ...headers, 'idempotency-key': plan.header };
    if (plan.json !== undefined) options.json = plan.json;
    const workspaceId = call.workspaceId ?? o.workspaceId;
    const startedAt = o.now();
    const deadlineMs = call.deadlineMs ?? o.deadlineMs;
    const state: RetryCallState = {
      startedAt,
      deadlineMs,
      deadlineAt: deadlineMs === undefined ? Number.POSITIVE_INFINITY : startedAt + deadlineMs,
      method,
      operation: floraOperation(method, url instanceof URL ? url : String(url ?? '/')),
      idempotencyKey: plan.key,
      cooldownKey: cooldownKey(workspaceId, headers.authorization),
      workspaceId,
      attemptTimeoutMs: options.timeout.request,
      attempts: 0,
      gaveUp: undefined,
    };
    context[RETRY_CONTEXT_KEY] = state;
    if (workspaceId !== undefined) getCallRecord(context).workspaceId ??= workspaceId;
    policy.startCall();
    const promise = next(options);
    // Observe the outcome without changing it: an abort skips got's retry and error hooks.
    if (promise && typeof (promise as Promise<unknown>).then === 'function') {
      (promise as Promise<unknown>).then(undefined, (error: unknown) => {
        if (state.gaveUp !== undefined) return;
        // got rejects an abort with its own AbortError (no error hook runs): fromGotError recognises it
        // by name before it trusts the previous attempt's response that the error still carries.
        const floraError = fromGotError(error);
        floraError.attempts = Math.max(floraError.attempts, state.attempts);
        floraError.workspaceId ??= state.workspaceId;
        const reason: GiveUpReason =
          floraError.category === 'aborted'
            ? 'aborted'
            : ((floraError.giveUpReason as GiveUpReason) ?? 'not_retryable');
        state.gaveUp = reason;
        policy.giveUp(
          floraError,
          attemptContext(state, Math.max(1, state.attempts), reason === 'aborted'),
          reason,
        );
      });
    }
    return promise;
  };

  /** The workspace cooldown wait of one attempt (the slow path of `beforeRequest`). */
  const waitOutCooldown = async (
    s: RetryCallState,
    gate: NonNullable<RetryPolicy['gate']>,
    signal: AbortSignal | undefined,
    url: string | undefined,
  ): Promise<void> => {
    try {
      await gate.wait(s.cooldownKey, { priority: s.attempts - 1, deadlineAt: s.deadlineAt, signal });
    } catch (reason) {
      if (reason === 'deadline') {
        throw deadlineError(s, `The workspace cooldown outlasts the call’s deadline of ${s.deadlineMs} ms`, {
          retryAfterMs: gate.remaining(s.cooldownKey),
          url,
        });
      }
      const aborted = new FloraError({
        code: 'aborted',
        message:
          reason === 'disposed'
            ? 'The retry policy was disposed while the call waited'
            : 'The call was aborted by the caller',
        category: 'aborted',
        retryable: false,
        hint: 'The call was aborted while it waited out a workspace cooldown.',
        method: s.method,
        url,
      });
      aborted.giveUpReason = 'aborted';
      throw aborted;
    }
    if (s.deadlineAt - o.now() <= 0) {
      throw deadlineError(s, `The call’s deadline of ${s.deadlineMs} ms ran out in a workspace cooldown`, {
        url,
      });
    }
  };

  /** Caps got's per-attempt timeout to what is left of the deadline (the deadline ends an attempt in flight). */
  const capAttemptTimeout = (s: RetryCallState, timeout: { request?: number | undefined }): void => {
    if (s.deadlineMs === undefined) return;
    const left = Math.max(1, Math.ceil(s.deadlineAt - o.now()));
    timeout.request = s.attemptTimeoutMs === undefined ? left : Math.min(s.attemptTimeoutMs, left);
  };

  // Synchronous unless the workspace is paused: got awaits whatever a hook returns, and an async function
  // would allocate a promise on every attempt of every call for the rare cooldown.
  const beforeRequest: BeforeRequestHook = (options) => {
    const s = getRetryCallState(options.context as Context);
    if (!s) return;
    s.attempts += 1;
    if (s.deadlineAt - o.now() <= 0) {
      throw deadlineError(
        s,
        `The call’s deadline of ${s.deadlineMs} ms ran out before attempt ${s.attempts}`,
        { url: originOf(options.url) },
      );
    }
    const gate = policy.gate;
    if (gate?.mustWait(s.cooldownKey)) {
      const url = originOf(options.url);
      const waitMs = gate.remaining(s.cooldownKey);
      if (waitMs > o.maxRetryAfterMs) throw cooldownTooLongError(s, waitMs, url);
      if (waitMs >= s.deadlineAt - o.now()) {
        throw deadlineError(
          s,
          `The workspace is paused for ${waitMs} ms by FLORA’s rate limit, past the call’s deadline of ${s.deadlineMs} ms`,
          { retryAfterMs: waitMs, url },
        );
      }
      return waitOutCooldown(s, gate, options.signal as AbortSignal | undefined, url).then(() =>
        capAttemptTimeout(s, options.timeout),
      );
    }
    capAttemptTimeout(s, options.timeout);
    return undefined;
  };

  const calculateDelay = ({ attemptCount, error }: RetryObject): number => {
    const context = contextOf(error);
    const s = getRetryCallState(context);
    const floraError = fromGotError(error);
    if (!s) return 0;
    if (s.gaveUp !== undefined) return 0;
    const attempt = Math.max(attemptCount, s.attempts);
    const decision = policy.decide(floraError, attemptContext(s, attempt));
    const record = context ? getCallRecord(context) : undefined;
    if (!decision.retry) {
      s.gaveUp = decision.reason;
      if (record) record.giveUpReason = decision.reason;
      return 0;
    }
    if (record) record.lastRetry = { attempt, delayMs: decision.delayMs, reason: decision.reason };
    // A 429 paused the whole workspace: the call waits in the workspace queue (next beforeRequest), where
    // waiting calls are released one by one, instead of every retrier waking at the same instant.
    if (floraError.status === 429 && policy.gate?.mustWait(s.cooldownKey)) return 1;
    // got treats 0 as "do not retry": a retry-after in the past still waits 1 ms.
    return Math.max(1, decision.delayMs);
  };

  const beforeError: BeforeErrorHook = (error) => {
    const floraError = fromGotError(error);
    const s = getRetryCallState(contextOf(error));
    if (!s) return floraError;
    if (s.workspaceId !== undefined) floraError.workspaceId ??= s.workspaceId;
    if (s.gaveUp !== undefined) floraError.giveUpReason ??= s.gaveUp;
    if (s.gaveUp === 'deadline_exceeded' && floraError.category !== 'deadline') {
      // The deadline passed during an attempt or would pass during the wait: say so, keep the failure as cause.
      return deadlineError(
        s,
        `The call’s deadline of ${s.deadlineMs} ms ran out after ${floraError.attempts} attempt(s); last failure: ${floraError.message}`,
        { from: floraError },
      );
    }
    return floraError;
  };

  return {
    retry: {
      limit: o.maxAttempts - 1,
      methods: [...RETRY_METHODS],
      calculateDelay,
    },
    handlers: [handler],
    hooks: { beforeRequest: [beforeRequest], beforeError: [beforeError] },
  };
}
