import { EventEmitter } from 'node:events';
import type { Disposable } from './Disposable.js';

/**
 * ONE timer for the rolling windows of every breaker of a registry: it emits opossum's `rotate` event on
 * a shared EventEmitter (opossum's `rotateBucketController` option), instead of one interval per breaker.
 * Started on demand, stopped when no breaker listens any more, `unref`ed.
 */
export class BucketRotation implements Disposable {
  readonly emitter: EventEmitter;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
    this.emitter = new EventEmitter();
    // Every breaker adds one listener: up to maxKeys of them is the design, not a leak.
    this.emitter.setMaxListeners(0);
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Makes sure the shared tick runs (call after adding a breaker). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      if (this.emitter.listenerCount('rotate') === 0) {
        this.dispose();
        return;
      }
      this.emitter.emit('rotate');
    }, this.#intervalMs);
    this.#timer.unref();
  }

  dispose(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
