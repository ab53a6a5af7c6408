import {
  CALL_RECORD_KEY,
  type FloraError,
  fromGotError,
  getCallRecord,
  readRequestId,
  recordAttempt,
  recordResponse,
  resetCallRecord,
} from '@flora-resilience/errors';
import type {
  AfterResponseHook,
  BeforeErrorHook,
  BeforeRequestHook,
  BeforeRetryHook,
  ExtendOptions,
  HandlerFunction,
} from 'got';
import { CallState } from './CallState.js';
import { RESPONSE_REQUEST_ID, RESPONSE_REQUEST_IDS } from './getRequestIds.js';
import type { RequestIdSink } from './RequestIdSink.js';
import type { Disposable, GiveUpEventLike, RetryEventLike } from './RetryEventsLike.js';
import { readCallOptions } from './readCallOptions.js';
import { type FloraRequestIdOptions, resolveRequestIdOptions } from './resolveRequestIdOptions.js';
import { levelEnabled, safeLog } from './safeLog.js';
import { LOG_MESSAGES, type LogLineInput, toLogFields } from './toLogFields.js';

/** What `floraRequestId()` returns: a partial got config, plus `dispose()` for the retry subscription. */
export type FloraRequestIdExtension = ExtendOptions & Disposable;

type Context = Record<string, unknown>;

/** The bits of a got response this reads (duck-typed: got 14–16). */
interface ResponseLike {
  readonly statusCode?: number;
  readonly retryCount?: number;
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly request?: { readonly options?: { readonly context?: Context } };
}

/** got's Request stream, as far as this reads it (duck-typed: got 14–16). */
interface StreamLike {
  emit: (event: string | symbol, ...args: unknown[]) => boolean;
  readonly on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
  readonly once?: (event: string, listener: (...args: unknown[]) => void) => unknown;
  readonly options?: { readonly method?: string; readonly url?: unknown; readonly context?: Context };
  readonly response?: ResponseLike;
  readonly retryCount?: number;
}

/** The got context of the call a retry-package event is about: the FloraError's `cause` is got's error. */
function contextOf(error: unknown): Context | undefined {
  const cause = (error as { cause?: { options?: { context?: unknown } } } | null)?.cause;
  const context =
    cause?.options?.context ?? (error as { options?: { context?: unknown } } | null)?.options?.context;
  return typeof context === 'object' && context !== null ? (context as Context) : undefined;
}

/**
 * What a stream the caller destroyed without an error ends with: got's own abort shape (name
 * `AbortError`, code `ERR_ABORTED`), which `fromGotError` turns into a `FloraAbortError` carrying the
 * call's ids, exactly as for an aborted promise call.
 */
function abortError(stream: StreamLike): Error {
  return Object.assign(new Error('The call was aborted by the caller'), {
    name: 'AbortError',
    code: 'ERR_ABORTED',
    options: stream.options,
    response: stream.response,
    request: { retryCount: stream.retryCount },
  });
}

function fillSink(sink: RequestIdSink | undefined, requestIds: readonly string[]): void {
  if (sink === undefined) return;
  try {
    sink.requestIds = [...requestIds];
    sink.requestId = requestIds.at(-1);
  } catch {
    // A sink that turned read-only mid-call: the ids stay on the response and the error.
  }
}

/**
 * got adapter: captures FLORA's `request-id` of every attempt (on success and on failure) and writes
 * secret-free structured log lines through an injected pino-compatible logger.
 *
 * - success: `response.requestId` / `response.requestIds` (non-enumerable), `getRequestId(response)`,
 *   and `context.requestIdSink` for `.json()` / `resolveBodyOnly` callers;
 * - failure: the call rejects with a `FloraError` carrying `requestId` (last attempt) and `requestIds`
 *   (every attempt, in order); aborts reject with got's error, which `getRequestIds()` reads;
 * - log lines: `retry` (warn) per failed attempt that will be retried, `failure` (error) when the call
 *   fails for good, `success` (debug).
 * - streams (`got.stream`): the same capture on the `'response'` event's response and on the retry
 *   streams; `success` once the body was read to `'end'`, `failure` on `'error'`, and an `aborted`
 *   failure when the caller destroys the stream first.
 *
 * Works alone on a plain got instance and next to `floraErrors()` and the retry package: the call-record
 * helpers and `fromGotError` it shares with them are idempotent.
 */
export function floraRequestId(options: FloraRequestIdOptions = {}): FloraRequestIdExtension {
  const o = resolveRequestIdOptions(options);
  const now = o.clock;
  // Per-call state lives IN the call's context, under a key unique to this instance: got shallow-copies
  // `context` for every retry (`new Options(…)` spreads it), so only nested objects survive across
  // attempts, never the identity of the context object itself.
  const stateKey = Symbol('@flora-resilience/request-id');
  const calls = {
    get: (context: Context): CallState | undefined => (context as Record<symbol, CallState>)[stateKey],
    set: (context: Context, state: CallState): void => {
      (context as Record<symbol, CallState>)[stateKey] = state;
    },
  };

  /** Whether a line of this kind would be written: lines a logger drops are not built (no fields, no redaction). */
  const wants = (kind: LogLineInput['kind']): boolean => {
    const level = o.levels[kind];
    return o.logger !== undefined && level !== false && levelEnabled(o.logger, level);
  };

  const log = (input: LogLineInput): void => {
    const level = o.levels[input.kind];
    if (level === false || !wants(input.kind)) return;
    let fields: Record<string, unknown>;
    try {
      fields = toLogFields(input, now(), o.timeKey);
    } catch {
      return;
    }
    safeLog(o.logger, level, fields, LOG_MESSAGES[input.kind]);
  };

  const retryLine = (
    context: Context,
    state: CallState | undefined,
    attempt: number,
    error: FloraError,
    extra: { delayMs?: number | undefined; requestId?: string | undefined; operation?: string | undefined },
  ): void => {
    const record = getCallRecord(context);
    log({
      kind: 'retry',
      requestId: state?.requestIdOf(attempt) ?? extra.requestId,
      requestIds: record.requestIds,
      method: error.method ?? state?.method,
      operation: extra.operation,
      url: error.url ?? state?.url,
      status: error.status,
      code: error.code,
      message: error.message,
      attempt,
      delayMs: extra.delayMs,
      durationMs: state?.attemptDuration(attempt, now),
      workspaceId: error.workspaceId ?? state?.workspaceId ?? record.workspaceId ?? o.workspaceId,
      category: error.category,
      retryable: error.retryable,
    });
  };

  const finish = (context: Context, state: CallState, error: unknown, failed: boolean): void => {
    if (state.ended) return;
    state.ended = true;
    const record = getCallRecord(context);
    const workspaceId = state.workspaceId ?? record.workspaceId ?? o.workspaceId;
    if (!failed) {
      fillSink(state.sink, record.requestIds);
      if (!wants('success')) return;
      log({
        kind: 'success',
        requestId: record.requestIds.at(-1),
        requestIds: record.requestIds,
        method: state.method,
        url: state.url,
        status: state.lastStatus,
        attempt: Math.max(1, record.attempts),
        durationMs: now() - state.startedAt,
        workspaceId,
      });
      return;
    }
    const floraError = fromGotError(error);
    if (workspaceId !== undefined) floraError.workspaceId ??= workspaceId;
    fillSink(state.sink, floraError.requestIds);
    log({
      kind: 'failure',
      requestId: floraError.requestId,
      requestIds: floraError.requestIds,
      method: floraError.method ?? state.method,
      url: floraError.url ?? state.url,
      status: floraError.status,
      code: floraError.code,
      message: floraError.message,
      attempt: Math.max(floraError.attempts, record.attempts, 1),
      durationMs: now() - state.startedAt,
      workspaceId: floraError.workspaceId,
      category: floraError.category,
      retryable: floraError.retryable,
      giveUpReason: floraError.giveUpReason ?? record.giveUpReason ?? state.giveUpReason,
    });
  };

  const finishQuietly = (context: Context, state: CallState, error: unknown, failed: boolean): void => {
    try {
      finish(context, state, error, failed);
    } catch {
      // Observation never changes the outcome.
    }
  };

  // Each attempt's ClientRequest: marks the attempt's end the moment it fails without a response.
  const watchAttempts = (result: unknown, context: Context, state: CallState): void => {
    const emitter = result as { on?: (event: string, listener: (request: unknown) => void) => unknown };
    if (typeof emitter.on !== 'function') return;
    emitter.on('request', (request: unknown) => {
      const attempt = Math.max(1, getCallRecord(context).attempts);
      const req = request as { on?: (event: string, listener: () => void) => unknown };
      if (typeof req?.on !== 'function') return;
      // `on`, not `once`: the first end counts (endAttempt), and `once` costs a wrapper per listener.
      const end = () => state.endAttempt(attempt, now);
      req.on('error', end);
      req.on('close', end);
    });
  };

  /**
   * Stream mode (got runs no `afterResponse` hook for `got.stream`): observes one attempt's Request
   * stream, and the retry streams the caller creates from its `'retry'` event. `'response'`, `'error'`
   * and `'retry'` are seen by wrapping the instance's `emit`, so the capture happens before any listener
   * runs and no `'error'` listener is added (an unhandled stream error stays unhandled).
   * - `'response'`: the id capture of {@link captureResponse};
   * - `'end'` (the body was read to its end, no error): the `success` line;
   * - `'error'`: the `failure` line (`fromGotError`, as for a rejected promise);
   * - `'close'` without `'end'` or `'error'` (the caller destroyed the stream): a `failure` line with
   *   category `aborted`, as for an aborted promise;
   * - `'retry'`: this stream is done, the retry stream carries the call on.
   * Without `state` (no logger, no sink: the lean path) only the capture is wired.
   */
  const watchStream = (result: unknown, context: Context, state: CallState | undefined): void => {
    const stream = result as StreamLike | null;
    if (typeof stream?.emit !== 'function') return;
    let superseded = false;
    const emit = stream.emit;
    try {
      stream.emit = function (this: unknown, event: string | symbol, ...args: unknown[]): boolean {
        try {
          if (event === 'response') {
            captureResponse(args[0]);
          } else if (event === 'error') {
            if (state !== undefined && !superseded) finishQuietly(context, state, args[0], true);
          } else if (event === 'retry' && typeof args[2] === 'function') {
            superseded = true;
            const createRetryStream = args[2] as (...a: unknown[]) => unknown;
            args[2] = (...a: unknown[]): unknown => {
              const retryStream = createRetryStream(...a);
              watchStream(retryStream, context, state);
              return retryStream;
            };
          }
        } catch {
          // Observation never changes the outcome.
        }
        return emit.call(this, event, ...args);
      };
    } catch {
      // A frozen stream (another plugin's doing): nothing is observed.
      return;
    }
    if (state === undefined || typeof stream.once !== 'function') return;
    watchAttempts(stream, context, state);
    stream.once('end', () => {
      if (!superseded) finishQuietly(context, state, undefined, false);
    });
    stream.once('close', () => {
      if (!superseded && !state.ended) finishQuietly(context, state, abortError(stream), true);
    });
  };

  const handler: HandlerFunction = (callOptions, next) => {
    const context = callOptions.context as Context;
    const perCall = readCallOptions(context);
    const startedAt = now();
    // Keep a record another plugin's handler started for this call (it may carry the workspace);
    // replace one left over from an earlier call that reused this context.
    const existing = context[CALL_RECORD_KEY] as { attempts?: number; requestIds?: unknown[] } | undefined;
    if (existing === undefined || (existing.attempts ?? 0) > 0 || (existing.requestIds?.length ?? 0) > 0) {
      resetCallRecord(context, startedAt);
    }
    if (callOptions.isStream === true) {
      const streamState =
        o.logger === undefined && perCall.sink === undefined
          ? undefined
          : new CallState(callOptions, perCall, startedAt);
      if (streamState !== undefined) calls.set(context, streamState);
      const stream = next(callOptions);
      watchStream(stream, context, streamState);
      return stream;
    }
    // Nothing to log and no sink to fill: the hooks' capture (call record, response properties, error
    // enrichment) is all this call needs, so skip the per-call timing state and listeners (hot path).
    if (o.logger === undefined && perCall.sink === undefined) return next(callOptions);
    const state = new CallState(callOptions, perCall, startedAt);
    calls.set(context, state);
    const result = next(callOptions);
    watchAttempts(result, context, state);
    const thenable = result as { then?: (ok: (v: unknown) => void, fail: (e: unknown) => void) => unknown };
    if (typeof thenable.then === 'function') {
      thenable.then(
        () => finishQuietly(context, state, undefined, false),
        (error: unknown) => finishQuietly(context, state, error, true),
      );
    }
    return result;
  };

  const beforeRequest: BeforeRequestHook = (requestOptions, hookContext?: { retryCount?: number }) => {
    const context = requestOptions.context as Context;
    const attempt = recordAttempt(context, hookContext?.retryCount ?? getCallRecord(context).attempts);
    const state = calls.get(context);
    if (state !== undefined) {
      state.startAttempt(attempt, now());
    }
  };

  /**
   * One attempt's response: records its id in the call record and the call's state, fills the sink, and
   * defines the non-enumerable `requestId` / `requestIds` on it. Shared by `afterResponse` (promise mode)
   * and the `'response'` event of a stream, and used for a stream's error response (got emits no
   * `'response'` for a status it throws on).
   */
  const captureResponse = (response: unknown): void => {
    const r = response as ResponseLike | undefined;
    const context = r?.request?.options?.context;
    if (r === undefined || context === undefined) return;
    const record = getCallRecord(context);
    const attempt = typeof r.retryCount === 'number' ? r.retryCount + 1 : Math.max(1, record.attempts);
    const id = recordResponse(context, r.headers);
    const state = calls.get(context);
    if (state !== undefined) {
      state.endAttempt(attempt, now);
      if (id !== undefined) state.setRequestId(attempt, id);
      state.lastStatus = r.statusCode;
      fillSink(state.sink, record.requestIds);
    }
    try {
      Object.defineProperty(response, RESPONSE_REQUEST_ID, {
        value: id,
        enumerable: false,
        writable: true,
        configurable: true,
      });
      Object.defineProperty(response, RESPONSE_REQUEST_IDS, {
        value: [...record.requestIds],
        enumerable: false,
        writable: true,
        configurable: true,
      });
    } catch {
      // A frozen response (another plugin's doing): the accessors fall back to the call record.
    }
  };

  const afterResponse: AfterResponseHook = (response) => {
    captureResponse(response);
    return response;
  };

  const beforeRetry: BeforeRetryHook = (error, retryCount) => {
    // `retryWithMergedOptions` from an afterResponse hook is not a failed attempt.
    if (error.name === 'RetryError') return;
    const context = error.options?.context as Context | undefined;
    if (context === undefined) return;
    // Stream mode: got emits no 'response' for a status it throws on, so the failed attempt's id is
    // captured here (the promise path already did in afterResponse).
    if (error.options.isStream === true) captureResponse(error.response);
    const state = calls.get(context);
    const failedAttempt = retryCount;
    if (state !== undefined && !state.claimRetryLine(failedAttempt)) return;
    const floraError = fromGotError(error);
    const lastRetry = getCallRecord(context).lastRetry;
    retryLine(context, state, failedAttempt, floraError, {
      delayMs: lastRetry?.attempt === failedAttempt ? lastRetry.delayMs : undefined,
      requestId: readRequestId(error.response?.headers),
    });
  };

  const beforeError: BeforeErrorHook = (error) => {
    // Stream mode: see beforeRetry. Before fromGotError, which is memoized.
    if ((error as { options?: { isStream?: boolean } }).options?.isStream === true) {
      captureResponse((error as { response?: unknown }).response);
    }
    const floraError = fromGotError(error);
    const context = (error as { options?: { context?: Context } }).options?.context;
    const state = context === undefined ? undefined : calls.get(context);
    const workspaceId = state?.workspaceId ?? o.workspaceId;
    if (workspaceId !== undefined) floraError.workspaceId ??= workspaceId;
    return floraError;
  };

  const subscriptions: Disposable[] = [];
  if (o.retryEvents !== undefined) {
    subscriptions.push(
      o.retryEvents.onRetry((event: RetryEventLike) => {
        try {
          const context = contextOf(event.error);
          const state = context === undefined ? undefined : calls.get(context);
          // Not a call of this instance (or not traceable): `beforeRetry` writes its line instead.
          if (context === undefined || state === undefined) return;
          if (!state.claimRetryLine(event.attempt)) return;
          state.endAttempt(event.attempt, now);
          retryLine(context, state, event.attempt, event.error, {
            delayMs: event.delayMs,
            requestId: event.requestId,
            operation: event.operation,
          });
        } catch {
          // Observation never changes the outcome.
        }
      }),
    );
    const onGiveUp = o.retryEvents.onGiveUp;
    if (typeof onGiveUp === 'function') {
      subscriptions.push(
        onGiveUp.call(o.retryEvents, (event: GiveUpEventLike) => {
          try {
            const context = contextOf(event.error);
            const state = context === undefined ? undefined : calls.get(context);
            if (state !== undefined) state.giveUpReason = event.reason;
          } catch {
            // Observation never changes the outcome.
          }
        }),
      );
    }
  }

  const extension: ExtendOptions = {
    handlers: [handler],
    hooks: {
      beforeRequest: [beforeRequest],
      afterResponse: [afterResponse],
      beforeRetry: [beforeRetry],
      beforeError: [beforeError],
    },
  };
  // Non-enumerable, so got.extend() (which rejects unknown options) never sees it.
  Object.defineProperty(extension, 'dispose', {
    value: (): void => {
      for (const subscription of subscriptions.splice(0)) {
        try {
          subscription.dispose();
        } catch {
          // Disposing twice or a broken emitter: nothing left to release here.
        }
      }
    },
    enumerable: false,
  });
  return extension as FloraRequestIdExtension;
}
