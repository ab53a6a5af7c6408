import { classifyHttp, fromGotError, parseErrorBody } from '@flora-resilience/errors';
import type {
  AfterResponseHook,
  BeforeRequestHook,
  BeforeRetryHook,
  ExtendOptions,
  HandlerFunction,
} from 'got';
import { createFloraMetrics, internalsOf, isFloraMetrics } from './createFloraMetrics.js';
import type { FailureLike } from './outcomeLabels.js';
import type { FloraMetricsOptions } from './resolveMetricsOptions.js';
import type { FloraMetrics } from './types/FloraMetrics.js';

interface AttemptState {
  readonly startedAt: number;
  settled: boolean;
  /** Status of the response head, when one arrived. */
  status?: number | undefined;
  /** When the attempt's socket request closed (an end time for outcomes only seen later). */
  closedAt?: number | undefined;
}

interface CallState {
  readonly method: string;
  readonly operation: string;
  readonly startedAt: number;
  attempt?: AttemptState | undefined;
  lastStatus?: number | undefined;
}

interface Outcome {
  readonly status?: number | undefined;
  readonly error?: FailureLike | undefined;
}

/** The slice of got's options object the adapter reads (duck-typed: got 14–16). */
interface OptionsLike {
  readonly method?: string;
  readonly url?: string | URL | undefined;
  readonly context?: Record<string, unknown>;
  readonly isStream?: boolean;
  readonly signal?: { readonly aborted?: boolean } | undefined;
}

/** The slice of a ClientRequest (got's per-attempt `request` event) the adapter listens to. */
interface ClientRequestLike {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  on(event: 'response', listener: (response: { readonly statusCode?: number }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

interface GotPromiseLike extends PromiseLike<unknown> {
  on?(event: 'request', listener: (request: ClientRequestLike) => void): unknown;
}

/** A 2xx body worth parsing for a failed run: small, and naming a failed status somewhere. */
const FAILED_RUN_HINT = /"(?:status)"\s*:\s*"(?:failed|error)"/i;
const MAX_RUN_BODY_CHARS = 256 * 1024;

const optionsOf = (error: unknown): OptionsLike | undefined => {
  const e = error as { options?: OptionsLike; cause?: { options?: OptionsLike } } | null | undefined;
  return e?.options ?? e?.cause?.options;
};

/** What a socket-level error on one attempt was: the attempt saw no response. */
function socketFailure(error: unknown, options: OptionsLike): FailureLike {
  if (options.signal?.aborted === true) return { code: 'aborted', category: 'aborted' };
  const e = error as { name?: unknown; code?: unknown } | null;
  if (e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT') {
    return { code: 'attempt_timeout', category: 'timeout' };
  }
  return { code: 'network_error', category: 'network' };
}

/**
 * got adapter: `got.extend(floraMetrics(metrics))` (or `floraMetrics({ registry })`) counts and times every
 * logical call and every attempt, tracks calls in flight, counts retries (from got's `beforeRetry`, unless a
 * retry policy is attached with `instrumentRetry`) and failed runs seen in responses. It never changes an
 * outcome: the handler returns got's own promise, and the hooks return what they were given.
 *
 * - call: a handler, once per logical call; the end is read on a side chain of got's promise.
 * - attempt: starts in `beforeRequest` (put this plugin after the retry plugin, whose `beforeRequest` may
 *   wait out a cooldown, so waiting is not counted as attempt time); ends at the response
 *   (`afterResponse`), at a socket error or timeout (the attempt's ClientRequest), or failing those, when
 *   got reports the error (`beforeRetry`, or the call's end).
 */
export function floraMetrics(metricsOrOptions: FloraMetrics | FloraMetricsOptions): ExtendOptions {
  const metrics = isFloraMetrics(metricsOrOptions) ? metricsOrOptions : createFloraMetrics(metricsOrOptions);
  const internals = internalsOf(metrics);
  const { now, observeRuns } = metrics.options;
  // Per-call state lives in got's per-call `options.context`, under a symbol of this adapter's own (so several
  // metrics adapters on one instance never collide), set fresh by the handler once per logical call (so a
  // context reused from an earlier call, as in pagination, never shares its state). got copies the context's
  // properties, symbols included, into every retry's options: each attempt finds the same state object.
  const token = Symbol('floraMetrics adapter');

  const stateOf = (options: OptionsLike | undefined): CallState | undefined =>
    (options?.context as Record<symbol, CallState | undefined> | undefined)?.[token];

  const settleAttempt = (call: CallState, attempt: AttemptState, outcome: Outcome, endedAt: number): void => {
    if (attempt.settled) return;
    attempt.settled = true;
    metrics.recordAttempt({
      method: call.method,
      operation: call.operation,
      durationMs: endedAt - attempt.startedAt,
      status: outcome.status,
      error: outcome.error,
    });
  };

  const observeRunBody = (body: unknown): void => {
    if (typeof body === 'object' && body !== null && !(body instanceof Uint8Array)) {
      metrics.observeRun(body);
      return;
    }
    const text =
      typeof body === 'string'
        ? body
        : body instanceof Uint8Array && body.byteLength <= MAX_RUN_BODY_CHARS
          ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
          : undefined;
    if (text === undefined || text.length > MAX_RUN_BODY_CHARS || !FAILED_RUN_HINT.test(text)) return;
    try {
      metrics.observeRun(JSON.parse(text));
    } catch {
      // Not JSON after all: nothing to count.
    }
  };

  const handler: HandlerFunction = (options, next) => {
    const opts = options as OptionsLike | undefined;
    const context = opts?.context;
    if (opts === undefined || typeof context !== 'object' || context === null) return next(options);
    const method = String(opts.method ?? 'GET');
    const call: CallState = {
      method,
      operation: metrics.operationOf(method, opts.url ?? '/'),
      startedAt: now(),
    };
    (context as Record<symbol, CallState>)[token] = call;
    if (opts.isStream === true) return next(options); // streams: attempts only, no call-level metrics
    const done = metrics.startCall(method, call.operation);
    const finish = (outcome: Outcome): void => {
      const endedAt = now();
      if (call.attempt !== undefined) settleAttempt(call, call.attempt, outcome, endedAt);
      metrics.recordCall({
        method: call.method,
        operation: call.operation,
        durationMs: endedAt - call.startedAt,
        status: outcome.status,
        error: outcome.error,
      });
      done();
    };
    let result: ReturnType<typeof next>;
    try {
      result = next(options);
    } catch (error) {
      const floraError = fromGotError(error);
      finish({ status: floraError.status, error: floraError });
      throw error;
    }
    const promise = result as unknown as GotPromiseLike;
    if (typeof promise?.then !== 'function') {
      done();
      return result;
    }
    promise.on?.('request', (request) => {
      const attempt = call.attempt;
      if (attempt === undefined || attempt.settled) return;
      // `on`, not `once`: each listener keeps only the first fact it sees, and `once` costs a wrapper.
      request.on('response', (response) => {
        attempt.status ??= response.statusCode;
      });
      request.on('error', (error) => {
        if (attempt.settled || attempt.status !== undefined) return;
        settleAttempt(call, attempt, { error: socketFailure(error, opts) }, now());
      });
      request.on('close', () => {
        attempt.closedAt ??= now();
      });
    });
    // A side chain: the caller still gets got's own promise (and its .json()/.text()/.cancel()).
    promise.then(
      (value) => {
        const status = (value as { statusCode?: unknown } | null)?.statusCode;
        finish({ status: typeof status === 'number' ? status : call.lastStatus });
      },
      (error: unknown) => {
        const floraError = fromGotError(error);
        finish({ status: floraError.status, error: floraError });
      },
    );
    return result;
  };

  const beforeRequest: BeforeRequestHook = (options) => {
    const call = stateOf(options as OptionsLike);
    if (call === undefined) return;
    const previous = call.attempt;
    if (previous !== undefined && !previous.settled) {
      // An attempt replaced without an outcome (an afterResponse hook asked got to retry it).
      settleAttempt(
        call,
        previous,
        { status: previous.status ?? call.lastStatus },
        previous.closedAt ?? now(),
      );
    }
    call.attempt = { startedAt: now(), settled: false };
  };

  const afterResponse: AfterResponseHook = (response) => {
    const call = stateOf(response.request?.options as OptionsLike | undefined);
    const status = response.statusCode;
    if (call !== undefined) {
      call.lastStatus = status;
      const attempt = call.attempt;
      if (attempt !== undefined && !attempt.settled) {
        let error: FailureLike | undefined;
        if (!(status >= 200 && status <= 399)) {
          const info = classifyHttp(status, parseErrorBody(response.rawBody ?? response.body).code);
          error = { status, code: info.code, category: info.category };
        }
        settleAttempt(call, attempt, { status, error }, now());
      }
    }
    if (observeRuns && status >= 200 && status <= 299) observeRunBody(response.body);
    return response;
  };

  const beforeRetry: BeforeRetryHook = (error) => {
    const call = stateOf(optionsOf(error));
    if (call === undefined) return;
    const floraError = fromGotError(error);
    const attempt = call.attempt;
    if (attempt !== undefined && !attempt.settled) {
      settleAttempt(
        call,
        attempt,
        { status: floraError.status, error: floraError },
        attempt.closedAt ?? now(),
      );
    }
    if (internals.retrySources === 0) {
      metrics.recordRetry({ operation: call.operation, reason: floraError.category });
    }
  };

  return {
    handlers: [handler],
    hooks: { beforeRequest: [beforeRequest], afterResponse: [afterResponse], beforeRetry: [beforeRetry] },
  };
}
