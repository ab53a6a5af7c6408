import type { EventEmitter } from 'node:events';
import { CircuitOpenError } from '@flora-resilience/errors';
import CircuitBreaker from 'opossum';
import type { AttemptOutcome } from './AttemptOutcome.js';
import type { AttemptTarget, Breaker, BreakerStats } from './Breaker.js';
import type { BreakerPermit } from './BreakerPermit.js';
import type { BreakerState } from './BreakerState.js';
import { resetDelayMs } from './resetDelayMs.js';
import type { ResolvedBreakerOptions } from './resolveBreakerOptions.js';

/** One slice of opossum's rolling window (its `status.window` entries). */
interface Bucket {
  fires: number;
  latencyTimes?: number[];
  [count: string]: unknown;
}

/** How an attempt hands its outcome back to its breaker (one object per breaker, not per attempt). */
interface AttemptOwner {
  settle(attempt: Attempt, outcome: AttemptOutcome, error: unknown): void;
}

/**
 * One attempt: the permit its caller holds and, when opossum must decide at once (half-open probe, open
 * breaker), the deferred outcome opossum waits on (the action given to `fire()` returns its promise). An
 * attempt admitted while the breaker is closed is `deferred`: opossum hears of it only when its outcome is
 * known (see `OpossumBreaker.#settle`). One object per attempt, with no closures besides the promise's.
 */
class Attempt implements BreakerPermit {
  readonly key: string;
  readonly #owner: AttemptOwner;
  probe = false;
  admitted = false;
  /** Admitted while closed, without a `fire()`: reported to opossum when the outcome is known. */
  deferred = false;
  /** A deferred attempt's failure, handed to opossum by the `fire()` that reports it. */
  failedWith: Error | undefined;
  bucket: Bucket | undefined;
  epoch = 0;
  #settled = false;
  #resolve: (() => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;

  constructor(key: string, owner: AttemptOwner) {
    this.key = key;
    this.#owner = owner;
  }

  /** opossum's action: called inside `fire()` when opossum lets the attempt through. */
  admit(bucket: Bucket | undefined, epoch: number): Promise<void> {
    if (this.failedWith !== undefined) return Promise.reject(this.failedWith);
    this.admitted = true;
    this.bucket = bucket;
    this.epoch = epoch;
    return new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  get settled(): boolean {
    return this.#settled;
  }

  success(): void {
    this.record('success');
  }

  failure(error?: unknown): void {
    this.record('failure', error);
  }

  release(): void {
    this.record('neutral');
  }

  record(outcome: AttemptOutcome, error?: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#owner.settle(this, outcome, error);
  }

  /** Tells opossum: success (resolve) or failure (reject). */
  conclude(error?: unknown): void {
    if (error === undefined) this.#resolve?.();
    else this.#reject?.(error);
  }
}

const noop = (): void => {};
const NO_ARGS: readonly unknown[] = Object.freeze([]);

/** What the registry hears from a breaker. */
export interface BreakerEvents {
  onChange(from: BreakerState, to: BreakerState): void;
  onReject(): void;
}

const OPEN_HINT =
  'FLORA has been failing for this operation, so the circuit breaker sent nothing: wait retryAfterMs (a probe will find out when it is back) or check FLORA’s status page.';

/**
 * The breaker of one key. The state machine and the rolling window are opossum's. While the breaker is
 * open or half-open, every attempt is an opossum `fire()` (refused, or the probe) whose action returns a
 * promise settled when the attempt's outcome is known (success → resolved, failure → rejected). While it
 * is closed, opossum would admit every attempt, so an attempt is admitted at once and opossum hears of it
 * when its outcome is known: a success through opossum's own `fire`/`success` events, a failure as a
 * `fire()` that fails, so that opossum itself weighs the failure rate and opens (a `fire()` held open for
 * the length of every request was the largest part of the breaker's success-path cost). A neutral outcome
 * counts as neither. This class adds what opossum lacks: the open-period backoff, the neutral outcome,
 * a window reset on close, and typed state changes. Not exported: users see `Breaker`.
 */
export class OpossumBreaker implements Breaker {
  readonly key: string;
  readonly #options: ResolvedBreakerOptions;
  /** The options object opossum keeps (and reads `resetTimeout` from at each open): ours to steer. */
  readonly #cbOptions: CircuitBreaker.Options<[Attempt]> & { resetTimeout: number };
  readonly #cb: CircuitBreaker<[Attempt], void>;
  readonly #events: BreakerEvents;
  #state: BreakerState = 'closed';
  #failedProbes = 0;
  #openedAt = 0;
  #openDelayMs = 0;
  #sameStep = false;
  /** Bumped on every close: outcomes of attempts admitted before it no longer count. */
  #epoch = 0;
  #disposed = false;
  readonly #owner: AttemptOwner = {
    settle: (attempt, outcome, error) => this.#settle(attempt, outcome, error),
  };

  constructor(key: string, options: ResolvedBreakerOptions, rotation: EventEmitter, events: BreakerEvents) {
    this.key = key;
    this.#options = options;
    this.#events = events;
    this.#cbOptions = {
      name: key,
      // got owns attempt timeouts (`timeout.request`): opossum's own 10 s race is off.
      timeout: false,
      resetTimeout: resetDelayMs(0, options),
      errorThresholdPercentage: options.failureThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      rollingCountTimeout: options.rollingWindowMs,
      rollingCountBuckets: options.rollingBuckets,
      // No per-breaker timers: the registry's one shared tick rotates every window…
      rotateBucketController: rotation,
      // …and no snapshot interval per breaker. Latency is the metrics package's business.
      enableSnapshots: false,
      rollingPercentilesEnabled: false,
      allowWarmUp: false,
    };
    this.#cb = new CircuitBreaker<[Attempt], void>(
      (attempt) => attempt.admit(this.#currentBucket(), this.#epoch),
      this.#cbOptions,
    );
    // opossum registered its own 'open' listener (which schedules the reset timer) in its constructor,
    // so ours runs after it: the delay it just scheduled is `#cbOptions.resetTimeout`.
    this.#cb.on('open', () => this.#opened());
    this.#cb.on('halfOpen', () => this.#transition('half_open'));
    this.#cb.on('close', () => this.#closed());
  }

  get state(): BreakerState {
    return this.#state;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  acquire(target: AttemptTarget = {}): BreakerPermit {
    if (this.#disposed) throw new Error(`Breaker '${this.key}' was disposed with its registry`);
    const attempt = new Attempt(this.key, this.#owner);
    if (this.#cb.closed) {
      // Closed: opossum admits every attempt, so its verdict is only needed once the outcome is known.
      // Holding a fire() open for the whole request costs five promises per attempt on the success path.
      attempt.admitted = true;
      attempt.deferred = true;
      attempt.epoch = this.#epoch;
      return attempt;
    }
    attempt.probe = this.#cb.halfOpen && this.#cb.pendingClose;
    // Synchronous decision: opossum runs the action inside fire() when it admits the call.
    this.#cb.fire(attempt).catch(noop);
    if (!attempt.admitted) {
      // opossum counted a `fire` for a call it refused; the window counts attempts only.
      this.#uncount(this.#currentBucket());
      this.#events.onReject();
      throw this.#openError(target);
    }
    return attempt;
  }

  retryAfterMs(): number {
    if (this.#state === 'open') return Math.max(0, this.#openedAt + this.#openDelayMs - Date.now());
    if (this.#state === 'half_open' && !this.#cb.pendingClose) return this.#cbOptions.resetTimeout;
    return 0;
  }

  stats(): BreakerStats {
    const s = this.#cb.stats;
    const admitted = Math.max(0, s.fires);
    return {
      key: this.key,
      state: this.#state,
      admitted,
      successes: s.successes,
      failures: s.failures,
      rejected: s.rejects,
      failurePercentage: admitted === 0 ? 0 : (s.failures / admitted) * 100,
      failedProbes: this.#failedProbes,
      retryAfterMs: this.retryAfterMs(),
    };
  }

  /** Ends opossum's reset timer and every listener (its own, ours, the shared rotation's). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#cb.shutdown();
  }

  #settle(attempt: Attempt, outcome: AttemptOutcome, error: unknown): void {
    // Evidence from before the last close is stale: the window it belonged to was reset.
    const stale = attempt.epoch !== this.#epoch;
    if (attempt.deferred) {
      // An attempt admitted while closed. If the breaker has opened since, its outcome is late evidence:
      // the probe decides, and the window is reset on close. Otherwise opossum counts it now, through its
      // own events: a success as a fire and a success, a failure as a real fire() that fails, so that
      // opossum itself weighs the failure rate and opens.
      if (outcome === 'neutral' || stale || this.#disposed || !this.#cb.closed) return;
      if (outcome === 'success') {
        this.#cb.emit('fire', NO_ARGS);
        this.#cb.emit('success', undefined, 0);
      } else {
        attempt.failedWith = error instanceof Error ? error : new Error(`attempt failed on ${this.key}`);
        this.#cb.fire(attempt).catch(noop);
      }
      return;
    }
    if (outcome === 'neutral' || stale || this.#disposed) {
      this.#release(attempt, attempt.probe && !stale);
    } else if (outcome === 'success') {
      attempt.conclude();
    } else {
      attempt.conclude(error instanceof Error ? error : new Error(`attempt failed on ${this.key}`));
    }
  }

  /** Counted as neither: the fire is taken back; its promise is left pending (opossum has no timeout). */
  #release(attempt: Attempt, wasProbe: boolean): void {
    if (attempt.epoch === this.#epoch) this.#uncount(attempt.bucket);
    if (wasProbe && !this.#disposed && this.#cb.halfOpen && !this.#cb.pendingClose) {
      // The probe told nothing: open again for the same wait (no backoff step), then probe again.
      this.#sameStep = true;
      this.#cbOptions.resetTimeout = resetDelayMs(this.#failedProbes, this.#options);
      this.#cb.open();
    }
  }

  #currentBucket(): Bucket | undefined {
    return (this.#cb?.status.window as unknown as Bucket[] | undefined)?.[0];
  }

  #uncount(bucket: Bucket | undefined): void {
    if (bucket !== undefined && bucket.fires > 0) bucket.fires--;
  }

  #opened(): void {
    if (this.#sameStep) this.#sameStep = false;
    else if (this.#state !== 'closed') this.#failedProbes++;
    this.#openDelayMs = this.#cbOptions.resetTimeout;
    this.#openedAt = Date.now();
    this.#cbOptions.resetTimeout = resetDelayMs(this.#failedProbes + 1, this.#options);
    this.#transition('open');
  }

  #closed(): void {
    this.#failedProbes = 0;
    this.#epoch++;
    this.#cbOptions.resetTimeout = resetDelayMs(0, this.#options);
    // A fresh start: the failures that opened the breaker must not re-open it on the first new one.
    for (const bucket of this.#cb.status.window as unknown as Bucket[]) {
      for (const name of Object.keys(bucket)) {
        if (typeof bucket[name] === 'number') bucket[name] = 0;
      }
      if (Array.isArray(bucket.latencyTimes)) bucket.latencyTimes.length = 0;
    }
    this.#transition('closed');
  }

  #transition(to: BreakerState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#events.onChange(from, to);
  }

  #openError(target: AttemptTarget): CircuitOpenError {
    const retryAfterMs = this.retryAfterMs();
    const why = this.#state === 'half_open' ? 'a probe is in flight' : `next probe in ${retryAfterMs} ms`;
    return new CircuitOpenError({
      code: 'circuit_open',
      message: `Circuit open for ${this.key}: FLORA has been failing for this operation, no request was sent (${why})`,
      category: 'circuit_open',
      retryable: false,
      hint: OPEN_HINT,
      key: this.key,
      retryAfterMs,
      method: target.method,
      url: target.url,
    });
  }
}
