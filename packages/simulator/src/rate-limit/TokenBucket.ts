/**
 * A token bucket on an injected clock: `take(now)` returns 0 when a token was taken, otherwise the
 * milliseconds until one is available (nothing is taken then).
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(requestsPerSecond: number, burst: number, now: number) {
    this.#rate = requestsPerSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = now;
  }

  take(now: number): number {
    const elapsed = Math.max(0, now - this.#last);
    this.#last = Math.max(this.#last, now);
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#rate);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return (1 - this.#tokens) / this.#rate;
  }
}
