/**
 * Where workspace cooldowns live: "every call of this workspace waits until this instant". The default is
 * in-process ({@link createMemoryCooldownStore}); a store shared across replicas (e.g. on Redis) implements
 * the same two methods, keeping a local mirror so that `get` stays synchronous.
 */
export interface CooldownStore {
  /** The instant (epoch ms) until which `key` is paused, or `undefined` when it is not (or no longer). */
  get(key: string, now: number): number | undefined;
  /** Pauses `key` until `until` (epoch ms). Never shortens an existing pause. */
  extend(key: string, until: number, now: number): void;
}

/** An in-process {@link CooldownStore}: a `Map` with expiry on read and a bounded size. No timers. */
export function createMemoryCooldownStore(options: { readonly maxKeys?: number } = {}): CooldownStore {
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new RangeError(
      `createMemoryCooldownStore: options.maxKeys must be a positive integer, got ${String(maxKeys)}`,
    );
  }
  const until = new Map<string, number>();
  return {
    get(key, now) {
      const value = until.get(key);
      if (value === undefined) return undefined;
      if (value <= now) {
        until.delete(key);
        return undefined;
      }
      return value;
    },
    extend(key, value, now) {
      const current = until.get(key);
      if (current !== undefined && current >= value) return;
      if (current === undefined && until.size >= maxKeys) {
        for (const [k, v] of until) if (v <= now) until.delete(k);
        if (until.size >= maxKeys) {
          const oldest = until.keys().next();
          if (!oldest.done) until.delete(oldest.value);
        }
      }
      until.set(key, value);
    },
  };
}
