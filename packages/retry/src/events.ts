import type { FloraError } from '@flora-resilience/errors';
import type { GiveUpReason } from './GIVE_UP_REASONS.js';

/** A subscription: call `dispose()` to stop listening. */
export interface Disposable {
  dispose(): void;
}

/** Emitted when the policy decided to try again, before the wait. */
export interface RetryEvent {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly delayMs: number;
  /** The failure's category: `rate_limited`, `server`, `network`, `timeout`… */
  readonly reason: string;
  readonly error: FloraError;
  /** `request-id` of the failed attempt, when it got a response. */
  readonly requestId: string | undefined;
  readonly method: string;
  /** Bounded route template, e.g. `POST /techniques/thumbnail-v3/runs`. */
  readonly operation: string;
  readonly workspaceId: string | undefined;
}

/** Emitted once when the policy stopped a call that failed. */
export interface GiveUpEvent {
  /** The last attempt, 1-based. */
  readonly attempt: number;
  readonly reason: GiveUpReason;
  readonly error: FloraError;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly operation: string;
  readonly workspaceId: string | undefined;
  readonly retryAfterMs: number | undefined;
}

/** A typed listener list; a throwing listener never breaks the call or the other listeners. */
export class Listeners<T> {
  #listeners: Array<(event: T) => void> = [];

  add(listener: (event: T) => void, where: string): Disposable {
    if (typeof listener !== 'function') {
      throw new TypeError(`${where}: listener must be a function, got ${typeof listener}`);
    }
    const entry = (event: T) => listener(event);
    this.#listeners.push(entry);
    return {
      dispose: () => {
        this.#listeners = this.#listeners.filter((l) => l !== entry);
      },
    };
  }

  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not change the outcome of the call.
      }
    }
  }

  clear(): void {
    this.#listeners = [];
  }
}
