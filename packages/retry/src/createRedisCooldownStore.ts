import { createHash } from 'node:crypto';
import { type CooldownStore, createMemoryCooldownStore } from './CooldownStore.js';
import { assertKnownKeys, assertPlainObject, readNumber, show } from './RetryOptions.js';

/**
 * The command connection the store writes through, duck-typed on ioredis's API (no Redis library is a
 * dependency of this package). `evalsha` is used when present, with a fallback to `eval` on `NOSCRIPT`.
 */
export interface RedisCooldownClient {
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
  evalsha?(sha1: string, numKeys: number, ...args: string[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  /**
   * With `mget`: the pauses already in Redis are loaded at start-up (`SCAN <cursor> MATCH <prefix>* COUNT
   * 500`, then `MGET` of the keys). Typed loosely (`never`) so that ioredis's overloads fit as they are.
   */
  scan?(cursor: string, ...args: never[]): Promise<unknown>;
  mget?(...keys: never[]): Promise<unknown>;
}

/** A connection in subscriber mode (it can run no other command), duck-typed on ioredis's API. */
export interface RedisCooldownSubscriber {
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  removeListener(event: 'message', listener: (channel: string, message: string) => void): unknown;
}

/** What failed, for `onError`. */
export interface RedisCooldownErrorContext {
  readonly operation: 'subscribe' | 'load' | 'extend' | 'publish' | 'unsubscribe';
  readonly key?: string;
}

export interface RedisCooldownStoreOptions {
  /** The command connection (e.g. `new Redis(url)`). */
  readonly client: RedisCooldownClient;
  /** A separate connection for the subscription (e.g. `client.duplicate()`). */
  readonly subscriber: RedisCooldownSubscriber;
  /** Prefix of the Redis keys. Default `'flora:cooldown:'`. */
  readonly prefix?: string;
  /** Pub/sub channel that carries new pauses between replicas. Default `'flora:cooldown'`. */
  readonly channel?: string;
  /** Bound of the local mirror (see {@link createMemoryCooldownStore}). Default 10 000. */
  readonly maxKeys?: number;
  /** Receives every Redis failure (default: ignored). It never throws into a call; a throwing listener is ignored. */
  readonly onError?: (error: unknown, context: RedisCooldownErrorContext) => void;
}

/** A {@link CooldownStore} shared across replicas on Redis. */
export interface RedisCooldownStore extends CooldownStore {
  /**
   * Settles once the subscription is in place and the pauses already in Redis are in the mirror (or once
   * either has failed, reported to `onError`). Never rejects.
   */
  readonly ready: Promise<void>;
  /** Stops the subscription and waits for writes in flight. The local mirror keeps working. Never rejects. */
  dispose(): Promise<void>;
}

/**
 * Sets `KEYS[1]` to `ARGV[1]` (epoch ms) with that instant as its expiry, only when it lengthens the pause.
 * Returns the pause now stored (the longer of the two), so the caller's mirror learns a longer pause too.
 */
const EXTEND_SCRIPT = `local current = tonumber(redis.call('GET', KEYS[1]))
local untilMs = tonumber(ARGV[1])
if current ~= nil and current >= untilMs then
  return tostring(current)
end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[1])
return '+' .. ARGV[1]`;
const EXTEND_SHA1 = createHash('sha1').update(EXTEND_SCRIPT).digest('hex');

const WHERE = 'createRedisCooldownStore(options)';

/** A literal prefix in a `SCAN MATCH` pattern: glob metacharacters escaped. */
const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');
const KEYS = ['client', 'subscriber', 'prefix', 'channel', 'maxKeys', 'onError'];

function assertMethods(where: string, value: unknown, methods: readonly string[], what: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${where} must be ${what}, got ${show(value)}`);
  }
  for (const m of methods) {
    if (typeof (value as Record<string, unknown>)[m] !== 'function') {
      throw new TypeError(`${where} must be ${what}: it has no ${m}() method`);
    }
  }
}

/**
 * A {@link CooldownStore} shared across replicas on Redis, with the user's own connections (ioredis API).
 *
 * - `get` reads a local mirror only: synchronous, never a Redis round trip.
 * - `extend` updates the mirror at once, then (asynchronously) stores the pause in Redis only when it
 *   lengthens it, with the key expiring at the pause's end, and publishes `<key> <until>` so that the other
 *   replicas' mirrors learn it. No pause is ever shortened, locally or in Redis.
 * - A Redis failure never reaches the caller: it goes to `onError`, and the mirror keeps working (the
 *   cooldown then degrades to per-process).
 * - A replica that starts during a pause loads it: once subscribed, it scans `<prefix>*` (when the client
 *   has `scan` and `mget`, as ioredis does) and mirrors every pause still running, up to `maxKeys`.
 *   Subscribing first means a pause published during the scan is not missed either.
 */
export function createRedisCooldownStore(options: RedisCooldownStoreOptions): RedisCooldownStore {
  assertPlainObject(WHERE, options);
  assertKnownKeys(WHERE, options as unknown as Record<string, unknown>, KEYS);
  const { client, subscriber } = options;
  assertMethods(
    `${WHERE}.client`,
    client,
    ['eval', 'publish'],
    'a Redis command connection with eval() and publish() (e.g. an ioredis client)',
  );
  assertMethods(
    `${WHERE}.subscriber`,
    subscriber,
    ['subscribe', 'unsubscribe', 'on', 'removeListener'],
    'a Redis connection for pub/sub with subscribe(), unsubscribe(), on() and removeListener() (e.g. client.duplicate())',
  );
  if ((client as unknown) === (subscriber as unknown)) {
    throw new TypeError(
      `${WHERE}.subscriber must be a separate connection from options.client (a subscribed connection can run no other command): use client.duplicate()`,
    );
  }
  const prefix = options.prefix ?? 'flora:cooldown:';
  if (typeof prefix !== 'string') {
    throw new TypeError(`${WHERE}.prefix must be a string, got ${show(prefix)}`);
  }
  const channel = options.channel ?? 'flora:cooldown';
  if (typeof channel !== 'string' || channel === '') {
    throw new TypeError(`${WHERE}.channel must be a non-empty string, got ${show(channel)}`);
  }
  const maxKeys =
    options.maxKeys === undefined
      ? 10_000
      : readNumber(`${WHERE}.maxKeys`, options.maxKeys, { min: 1, max: 2 ** 31, integer: true });
  const onErrorOption = options.onError;
  if (onErrorOption !== undefined && typeof onErrorOption !== 'function') {
    throw new TypeError(`${WHERE}.onError must be a function, got ${show(onErrorOption)}`);
  }

  const mirror = createMemoryCooldownStore({ maxKeys });
  const report = (error: unknown, context: RedisCooldownErrorContext): void => {
    try {
      onErrorOption?.(error, context);
    } catch {
      // A throwing listener never changes a call.
    }
  };
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>): void => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  let disposed = false;

  /** A pause learnt from Redis (a message, a scan, a script's reply) into the mirror, if still running. */
  const mirrorPause = (key: string, until: unknown): void => {
    const untilMs = Number(until);
    const now = Date.now();
    if (Number.isFinite(untilMs) && untilMs > now) mirror.extend(key, untilMs, now);
  };

  const onMessage = (from: string, message: string): void => {
    if (from !== channel || typeof message !== 'string') return;
    const space = message.lastIndexOf(' ');
    if (space <= 0) return;
    mirrorPause(message.slice(0, space), message.slice(space + 1));
  };
  subscriber.on('message', onMessage);

  /** The pauses already in Redis (set before this replica subscribed), into the mirror. */
  const loadExisting = async (): Promise<void> => {
    const scan = client.scan as ((cursor: string, ...args: string[]) => Promise<unknown>) | undefined;
    const mget = client.mget as ((...keys: string[]) => Promise<unknown>) | undefined;
    if (typeof scan !== 'function' || typeof mget !== 'function') return;
    const pattern = `${escapeGlob(prefix)}*`;
    let cursor = '0';
    let seen = 0;
    do {
      const reply = (await scan.call(client, cursor, 'MATCH', pattern, 'COUNT', '500')) as unknown;
      if (!Array.isArray(reply) || reply.length < 2 || !Array.isArray(reply[1])) {
        throw new TypeError(`SCAN replied ${show(reply)}, not [cursor, keys]`);
      }
      cursor = String(reply[0]);
      const keys = (reply[1] as unknown[]).filter((k): k is string => typeof k === 'string');
      if (keys.length === 0) continue;
      const values = (await mget.apply(client, keys)) as unknown;
      keys.forEach((redisKey, i) => {
        mirrorPause(redisKey.slice(prefix.length), Array.isArray(values) ? values[i] : undefined);
      });
      seen += keys.length;
    } while (cursor !== '0' && seen < maxKeys && !disposed);
  };

  const ready = (async () => {
    try {
      await subscriber.subscribe(channel);
    } catch (error) {
      report(error, { operation: 'subscribe' });
    }
    try {
      await loadExisting();
    } catch (error) {
      report(error, { operation: 'load' });
    }
  })();

  const runScript = async (redisKey: string, until: string): Promise<unknown> => {
    if (typeof client.evalsha === 'function') {
      try {
        return await client.evalsha(EXTEND_SHA1, 1, redisKey, until);
      } catch (error) {
        if (!String((error as { message?: unknown } | null)?.message ?? error).includes('NOSCRIPT'))
          throw error;
      }
    }
    return client.eval(EXTEND_SCRIPT, 1, redisKey, until);
  };

  const write = async (key: string, until: number): Promise<void> => {
    let reply: unknown;
    try {
      reply = await runScript(prefix + key, String(until));
    } catch (error) {
      report(error, { operation: 'extend', key });
      return;
    }
    const text = String(reply);
    if (text.startsWith('+')) {
      try {
        await client.publish(channel, `${key} ${until}`);
      } catch (error) {
        report(error, { operation: 'publish', key });
      }
      return;
    }
    // Redis already held a longer pause (set by another replica before this one subscribed): mirror it.
    mirrorPause(key, text);
  };

  return {
    ready,
    get(key, now) {
      return mirror.get(key, now);
    },
    extend(key, until, now) {
      if (!Number.isFinite(until) || until <= now) return;
      const current = mirror.get(key, now);
      mirror.extend(key, until, now);
      if (disposed || (current !== undefined && current >= until)) return;
      track(write(key, Math.ceil(until)));
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      subscriber.removeListener('message', onMessage);
      await ready;
      try {
        await subscriber.unsubscribe(channel);
      } catch (error) {
        report(error, { operation: 'unsubscribe' });
      }
      await Promise.all([...inFlight]);
    },
  };
}
