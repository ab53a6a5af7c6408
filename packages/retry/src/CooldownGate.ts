import type { ResolvedCooldown } from './RetryOptions.js';

interface Waiter {
  readonly priority: number;
  readonly seq: number;
  readonly deadlineAt: number;
  readonly resolve: () => void;
  readonly reject: (reason: 'deadline' | 'aborted' | 'disposed') => void;
}

interface Lane {
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  /** Gap between two releases of the current wave (ms). */
  gapMs: number;
  releasing: boolean;
}

/**
 * The in-process side of the workspace cooldown: calls of a paused workspace wait here, then are released
 * one by one, spread over a short window (retries first, then oldest first), so they do not stampede. The
 * pause itself lives in the {@link CooldownStore}; a 429 that arrives during a wave re-arms it and holds
 * the rest of the queue. Timers are unref'ed and cleared on abort and on `dispose()`.
 */
export class CooldownGate {
  readonly #options: ResolvedCooldown;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #lanes = new Map<string, Lane>();
  #seq = 0;

  constructor(options: ResolvedCooldown, now: () => number, random: () => number) {
    this.#options = options;
    this.#now = now;
    this.#random = random;
  }

  /** Milliseconds until `key`'s pause ends (0 when not paused). */
  remaining(key: string): number {
    const now = this.#now();
    const until = this.#options.store.get(key, now);
    return until === undefined ? 0 : Math.max(0, until - now);
  }

  /** Whether a call of `key` must queue now (paused, or a release wave is under way). */
  mustWait(key: string): boolean {
    return this.remaining(key) > 0 || (this.#lanes.get(key)?.waiters.length ?? 0) > 0;
  }

  /** Pauses `key` for `ms` from now (never shortens a pause); waiters whose deadline it passes are rejected. */
  pause(key: string, ms: number): void {
    const now = this.#now();
    this.#options.store.extend(key, now + ms, now);
    const lane = this.#lanes.get(key);
    if (!lane) return;
    const until = this.#options.store.get(key, now) ?? now;
    lane.waiters = lane.waiters.filter((w) => {
      if (until < w.deadlineAt) return true;
      w.reject('deadline');
      return false;
    });
    this.#schedule(key, lane);
  }

  /** Waits until this call may go. Rejects with `'deadline' | 'aborted' | 'disposed'`. */
  wait(
    key: string,
    {
      priority,
      deadlineAt,
      signal,
    }: { priority: number; deadlineAt: number; signal?: AbortSignal | undefined },
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject('aborted');
        return;
      }
      let lane = this.#lanes.get(key);
      if (!lane) {
        lane = { waiters: [], timer: undefined, gapMs: 0, releasing: false };
        this.#lanes.set(key, lane);
      }
      const onAbort = () => {
        const l = this.#lanes.get(key);
        if (l) l.waiters = l.waiters.filter((w) => w !== waiter);
        this.#cleanup(key);
        reject('aborted');
      };
      const waiter: Waiter = {
        priority,
        seq: this.#seq++,
        deadlineAt,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      lane.waiters.push(waiter);
      lane.waiters.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
      if (!lane.releasing) this.#schedule(key, lane);
    });
  }

  #schedule(key: string, lane: Lane): void {
    if (lane.timer) clearTimeout(lane.timer);
    lane.timer = undefined;
    if (lane.waiters.length === 0) {
      this.#cleanup(key);
      return;
    }
    const now = this.#now();
    const until = this.#options.store.get(key, now);
    if (until !== undefined && until > now) {
      // A (new) pause: the next wave is spread over a share of it.
      const total = Math.min(this.#options.maxSpreadMs, this.#options.spreadRatio * (until - now));
      lane.gapMs = total / Math.max(1, lane.waiters.length);
      lane.releasing = false;
      lane.timer = setTimeout(() => this.#release(key), until - now + this.#random() * lane.gapMs);
      lane.timer.unref();
      return;
    }
    lane.releasing = true;
    lane.timer = setTimeout(() => this.#release(key), lane.gapMs);
    lane.timer.unref();
  }

  #release(key: string): void {
    const lane = this.#lanes.get(key);
    if (!lane) return;
    lane.timer = undefined;
    const now = this.#now();
    const until = this.#options.store.get(key, now);
    if (until !== undefined && until > now) {
      this.#schedule(key, lane);
      return;
    }
    lane.waiters.shift()?.resolve();
    lane.releasing = true;
    this.#schedule(key, lane);
  }

  #cleanup(key: string): void {
    const lane = this.#lanes.get(key);
    if (lane && lane.waiters.length === 0) {
      if (lane.timer) clearTimeout(lane.timer);
      this.#lanes.delete(key);
    }
  }

  /** Calls waiting across all workspaces. */
  get waiting(): number {
    let n = 0;
    for (const lane of this.#lanes.values()) n += lane.waiters.length;
    return n;
  }

  /** Rejects every waiter with `'disposed'` and clears every timer. */
  dispose(): void {
    for (const lane of this.#lanes.values()) {
      if (lane.timer) clearTimeout(lane.timer);
      for (const w of lane.waiters) w.reject('disposed');
    }
    this.#lanes.clear();
  }
}
