import type { RequestIdSink } from './RequestIdSink.js';
import type { RequestIdCallOptions } from './readCallOptions.js';

/**
 * One logical call, as one `floraRequestId()` instance sees it, when it has lines to write or a sink to
 * fill. Per-attempt facts are kept in small arrays indexed by the attempt number (1-based): a call makes
 * one to a few attempts, and four Map/Set objects per call were most of this state's cost.
 */
export class CallState {
  readonly startedAt: number;
  readonly method: string | undefined;
  readonly url: string | URL | undefined;
  readonly workspaceId: string | undefined;
  readonly sink: RequestIdSink | undefined;
  lastStatus: number | undefined = undefined;
  giveUpReason: string | undefined = undefined;
  ended = false;
  readonly #startedAt: (number | undefined)[] = [];
  readonly #endedAt: (number | undefined)[] = [];
  readonly #requestIds: (string | undefined)[] = [];
  /** Failed attempts whose retry line was already written (by `onRetry` or `beforeRetry`). */
  readonly #retryLogged: boolean[] = [];

  constructor(
    call: { readonly method?: string; readonly url?: string | URL | undefined },
    perCall: RequestIdCallOptions,
    startedAt: number,
  ) {
    this.startedAt = startedAt;
    this.method = call.method;
    this.url = call.url;
    this.workspaceId = perCall.workspaceId;
    this.sink = perCall.sink;
  }

  /** Attempt `attempt` starts now (a retry of the same number starts afresh). */
  startAttempt(attempt: number, at: number): void {
    this.#startedAt[attempt] = at;
    this.#endedAt[attempt] = undefined;
  }

  /** The first end seen for `attempt` counts (its response, its error, its close). */
  endAttempt(attempt: number, now: () => number): void {
    if (this.#endedAt[attempt] === undefined) this.#endedAt[attempt] = now();
  }

  /** Milliseconds from the attempt's start to its end (or to now, while it runs); undefined if never started. */
  attemptDuration(attempt: number, now: () => number): number | undefined {
    const start = this.#startedAt[attempt];
    if (start === undefined) return undefined;
    return (this.#endedAt[attempt] ?? now()) - start;
  }

  setRequestId(attempt: number, id: string): void {
    this.#requestIds[attempt] = id;
  }

  requestIdOf(attempt: number): string | undefined {
    return this.#requestIds[attempt];
  }

  /** True the first time it is called for `attempt`: one retry line per failed attempt. */
  claimRetryLine(attempt: number): boolean {
    if (this.#retryLogged[attempt] === true) return false;
    this.#retryLogged[attempt] = true;
    return true;
  }
}
