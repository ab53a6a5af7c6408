import type { Disposable } from './Disposable.js';

/**
 * A typed event: `subscribe` returns a disposable. A listener that throws does not stop the others nor
 * corrupt the breaker that emitted; its error is re-thrown on a microtask, where it surfaces like any
 * uncaught exception instead of vanishing.
 */
export class Listeners<T> {
  #entries: Array<{ readonly listener: (event: T) => void }> = [];

  get size(): number {
    return this.#entries.length;
  }

  subscribe(listener: (event: T) => void, where: string): Disposable {
    if (typeof listener !== 'function') {
      throw new TypeError(
        `${where}: listener must be a function, got ${listener === null ? 'null' : typeof listener}`,
      );
    }
    const entry = { listener };
    this.#entries = [...this.#entries, entry];
    return {
      dispose: () => {
        this.#entries = this.#entries.filter((e) => e !== entry);
      },
    };
  }

  emit(event: T): void {
    for (const { listener } of this.#entries) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  clear(): void {
    this.#entries = [];
  }
}
