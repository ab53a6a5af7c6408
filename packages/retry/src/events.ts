import type { Disposable } from '@flora-resilience/errors';

export type { Disposable, GiveUpEvent, RetryEvent } from '@flora-resilience/errors';

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
