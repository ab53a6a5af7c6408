import type { BreakerPermit } from './BreakerPermit.js';
import type { BreakerRegistry } from './BreakerRegistry.js';
import { classifyAttemptOutcome } from './classifyAttemptOutcome.js';

/** The parts of Node's `http.ClientRequest` / `IncomingMessage` watched (duck-typed: got 14–16, http2-wrapper). */
interface EmitterLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
}
interface IncomingLike extends EmitterLike {
  readonly statusCode?: number | undefined;
  readonly complete?: boolean;
}

/** What the guard reads from the call's options: the caller's signal. */
export interface CallOptionsLike {
  readonly signal?: { readonly aborted: boolean } | undefined;
}

/** What the guard reads from got's return value (a promise or, for `got.stream`, a Request stream). */
export interface CallResultLike {
  readonly isCanceled?: boolean;
  /** got.stream: true from the moment the caller calls `destroy()` (before the socket's events follow). */
  readonly destroyed?: boolean;
}

/**
 * The breaker's view of ONE logical call, kept in got's `options.context` (which every retry of the
 * call shares). Each attempt acquires a permit in `beforeRequest`; its outcome is reported the moment
 * the attempt's `ClientRequest` shows it (response status, body end, socket error, timeout), and an
 * attempt whose outcome was never seen is settled at the latest when the next attempt starts or the
 * call ends, so a half-open breaker's probe can never be left hanging.
 */
export class CallGuard {
  readonly #registry: BreakerRegistry;
  readonly #options: CallOptionsLike;
  readonly #stream: boolean;
  #permit: BreakerPermit | undefined;
  /** got's return value, once the handler has it (hooks alone never see it). */
  result: CallResultLike | undefined;

  constructor(registry: BreakerRegistry, options: CallOptionsLike, stream: boolean) {
    this.#registry = registry;
    this.#options = options;
    this.#stream = stream;
  }

  /**
   * The caller gave up: an aborted signal, a cancelled promise, or a got stream the caller destroyed. A
   * stream is destroyed synchronously by the caller, before its socket's close events arrive; when the
   * server cuts a body, got destroys the stream only later, after its error handling, so a cut body still
   * counts as a failure.
   */
  #aborted(): boolean {
    const result = this.result;
    return (
      this.#options.signal?.aborted === true ||
      result?.isCanceled === true ||
      (this.#stream && result?.destroyed === true)
    );
  }

  /** `beforeRequest`: asks the key's breaker; throws `CircuitOpenError` when it refuses. */
  begin(method: string, url: string | URL): void {
    this.settle(undefined);
    if (this.#registry.disposed) return;
    const breaker = this.#registry.get(this.#registry.keyOf(method, url));
    this.#permit = breaker.acquire({ method, url });
  }

  /**
   * The attempt's `ClientRequest` (got's `request` event): reports its outcome as soon as it is known.
   * With `responses: false` (got's promise API, where `afterResponse` reports every response once its
   * body is in) only a failure without a response is watched: a reset or an attempt timeout must count
   * at once, not when got's retry wait ends. With `responses: true` (`got.stream`, which runs no
   * `afterResponse` hook) the response and its body are watched too.
   */
  watch(request: EmitterLike, responses: boolean): void {
    const permit = this.#permit;
    if (permit === undefined || permit.settled) return;
    let responded = false;
    // `on`, not `once`: the permit takes one outcome and ignores the rest, and `once` costs a wrapper.
    request.on('error', (error: unknown) => {
      permit.record(this.#aborted() ? 'neutral' : classifyAttemptOutcome({ error }));
    });
    if (!responses) return;
    request.once('response', (response: IncomingLike) => {
      responded = true;
      const status = response.statusCode ?? 0;
      const outcome = classifyAttemptOutcome({ status });
      if (outcome !== 'success' || status < 200 || status > 299 || response.complete === true) {
        permit.record(outcome);
        return;
      }
      // 2xx: FLORA answered only once the whole body arrived; a cut body is a network failure.
      response.once('end', () => permit.record('success'));
      response.once('close', () => {
        if (response.complete !== true) permit.record(this.#aborted() ? 'neutral' : 'failure');
      });
    });
    request.once('close', () => {
      // Closed with neither a response nor an error: nothing was learnt.
      if (!responded) permit.record('neutral');
    });
  }

  /** got's `afterResponse`: the response of a promise-API attempt, its body complete. */
  response(status: number): void {
    this.#permit?.record(classifyAttemptOutcome({ status }));
  }

  /**
   * Settles an attempt whose outcome was never seen: by `error` when one is known (`beforeRetry`, end of
   * the call), as neutral when the caller aborted or nothing is known.
   */
  settle(error: unknown): void {
    const permit = this.#permit;
    if (permit === undefined || permit.settled) return;
    if (error === undefined || this.#aborted()) permit.release();
    else permit.record(classifyAttemptOutcome({ error }), error);
  }
}
