import type { ResolvedBudget } from './RetryOptions.js';

/** A snapshot of the budget over its window. */
export interface RetryBudgetSnapshot {
  /** Logical calls started in the window. */
  readonly calls: number;
  /** Retries that spent the budget in the window. */
  readonly retries: number;
  /** Retries the window allows: `ratio · calls + minRetriesPerSecond · windowMs / 1000`. */
  readonly allowed: number;
}

const SLOTS = 10;

/**
 * Finagle-style retry budget over a sliding window of 10 slots: every logical call deposits `ratio`, every
 * retry withdraws 1, and `minRetriesPerSecond` keeps a floor for quiet clients. Pure bookkeeping on an
 * injected clock; no timers.
 */
export class RetryBudget {
  readonly #options: ResolvedBudget;
  readonly #slotMs: number;
  readonly #calls = new Array<number>(SLOTS).fill(0);
  readonly #retries = new Array<number>(SLOTS).fill(0);
  #slot = 0;
  #slotStart: number;

  constructor(options: ResolvedBudget, now: number) {
    this.#options = options;
    this.#slotMs = options.windowMs / SLOTS;
    this.#slotStart = now;
  }

  #advance(now: number): number {
    const steps = Math.floor((now - this.#slotStart) / this.#slotMs);
    if (steps <= 0) return this.#slot;
    for (let i = 0; i < Math.min(steps, SLOTS); i++) {
      this.#slot = (this.#slot + 1) % SLOTS;
      this.#calls[this.#slot] = 0;
      this.#retries[this.#slot] = 0;
    }
    this.#slotStart += steps * this.#slotMs;
    return this.#slot;
  }

  /** One logical call started. */
  deposit(now: number): void {
    const slot = this.#advance(now);
    this.#calls[slot] = (this.#calls[slot] ?? 0) + 1;
  }

  snapshot(now: number): RetryBudgetSnapshot {
    this.#advance(now);
    const calls = this.#calls.reduce((a, b) => a + b, 0);
    const retries = this.#retries.reduce((a, b) => a + b, 0);
    const allowed =
      this.#options.ratio * calls + (this.#options.minRetriesPerSecond * this.#options.windowMs) / 1000;
    return { calls, retries, allowed };
  }

  /** Whether one more retry fits. */
  canRetry(now: number): boolean {
    const s = this.snapshot(now);
    return s.retries + 1 <= s.allowed;
  }

  /** Spends one retry. */
  withdraw(now: number): void {
    const slot = this.#advance(now);
    this.#retries[slot] = (this.#retries[slot] ?? 0) + 1;
  }
}
