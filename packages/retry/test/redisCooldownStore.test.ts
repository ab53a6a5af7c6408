import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { floraErrors } from '@flora-resilience/errors';
import {
  cooldownKey,
  createRedisCooldownStore,
  createRetryPolicy,
  floraRetry,
  type RedisCooldownErrorContext,
  type RedisCooldownStore,
  type RetryPolicy,
} from '@flora-resilience/retry';
import { SIMULATOR_API_KEY, startSimulator } from '@flora-resilience/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { Redis, type RedisOptions } from 'ioredis';

// A real redis-server (Debian's, installed by `node scripts/setup.mjs --for=test`) on a free port.
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const ping = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean, timeoutMs = 1000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(10);
  }
  return check();
}

let redisProcess: ChildProcess | undefined;
let port = 0;
const connections: Redis[] = [];
const stores: RedisCooldownStore[] = [];

const connect = (options: RedisOptions = {}): Redis => {
  const r = new Redis({ host: '127.0.0.1', port, ...options });
  connections.push(r);
  return r;
};

/** One "replica": its own command connection, its own subscriber and its own store. */
async function replica(
  extra: {
    onError?: (e: unknown, c: RedisCooldownErrorContext) => void;
    prefix?: string;
    /** Hand the store a client with only eval/evalsha/publish (no scan/mget: nothing is loaded at start). */
    withoutScan?: boolean;
    /** Replace the client's scan. */
    scan?: (cursor: string, ...args: string[]) => Promise<unknown>;
  } = {},
) {
  const { withoutScan, scan, ...options } = extra;
  const client = connect();
  const subscriber = connect();
  const storeClient = withoutScan
    ? {
        eval: client.eval.bind(client),
        evalsha: client.evalsha.bind(client),
        publish: client.publish.bind(client),
      }
    : scan
      ? {
          eval: client.eval.bind(client),
          publish: client.publish.bind(client),
          mget: client.mget.bind(client),
          scan,
        }
      : client;
  const store = createRedisCooldownStore({
    client: storeClient as Parameters<typeof createRedisCooldownStore>[0]['client'],
    subscriber,
    ...options,
  });
  stores.push(store);
  await store.ready;
  return { client, store };
}

beforeAll(async () => {
  port = await freePort();
  redisProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  let spawnError: Error | undefined;
  redisProcess.once('error', (e) => {
    spawnError = e;
  });
  const end = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (spawnError) {
      throw new Error(
        `redis-server could not start (run \`node scripts/setup.mjs --for=test\`): ${spawnError.message}`,
      );
    }
    if (Date.now() > end) throw new Error(`redis-server did not accept connections on port ${port}`);
    await sleep(50);
  }
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.dispose()));
  for (const c of connections.splice(0)) c.disconnect();
});

afterAll(async () => {
  const p = redisProcess;
  if (p && p.exitCode === null) {
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  }
});

describe('createRedisCooldownStore on a real Redis', () => {
  it('an extend on replica A reaches replica B', async () => {
    const a = await replica();
    const b = await replica();
    const key = `ws_${Math.random()}`;
    const now = Date.now();
    const until = now + 10_000;
    a.store.extend(key, until, now);
    expect(a.store.get(key, now)).toBe(until);
    expect(await eventually(() => b.store.get(key, Date.now()) === until)).toBe(true);
  });

  it('never shortens a pause: not in A, not in B, not in Redis', async () => {
    const a = await replica();
    const b = await replica();
    const key = `ws_${Math.random()}`;
    const now = Date.now();
    a.store.extend(key, now + 20_000, now);
    expect(await eventually(() => b.store.get(key, Date.now()) === now + 20_000)).toBe(true);
    b.store.extend(key, now + 5_000, now);
    // A third replica pushes a shorter pause straight through Redis and the channel.
    await a.client.publish('flora:cooldown', `${key} ${now + 3_000}`);
    await sleep(200);
    expect(a.store.get(key, Date.now())).toBe(now + 20_000);
    expect(b.store.get(key, Date.now())).toBe(now + 20_000);
    expect(await a.client.get(`flora:cooldown:${key}`)).toBe(String(now + 20_000));

    // A replica whose mirror lacks the pause (its client cannot scan, so nothing was loaded at start)
    // learns it from the reply to its own extend.
    const c = await replica({ withoutScan: true });
    expect(c.store.get(key, Date.now())).toBeUndefined();
    c.store.extend(key, now + 4_000, now);
    expect(await eventually(() => c.store.get(key, Date.now()) === now + 20_000)).toBe(true);
    expect(await a.client.get(`flora:cooldown:${key}`)).toBe(String(now + 20_000));

    // A longer pause wins everywhere.
    b.store.extend(key, now + 30_000, now);
    expect(await eventually(() => a.store.get(key, Date.now()) === now + 30_000)).toBe(true);
    expect(await a.client.get(`flora:cooldown:${key}`)).toBe(String(now + 30_000));
  });

  it('a replica started during a pause loads it from Redis, without waiting for a publish', async () => {
    const a = await replica();
    const key = `ws_${Math.random()}`;
    const now = Date.now();
    a.store.extend(key, now + 15_000, now);
    expect(await eventually(() => a.store.get(key, Date.now()) === now + 15_000)).toBe(true);
    let stored: string | null = null;
    expect(
      await eventually(() => {
        void a.client.get(`flora:cooldown:${key}`).then((v) => {
          stored = v;
        });
        return stored !== null;
      }),
    ).toBe(true);
    // Left-overs a scan also finds: a pause already over (no expiry set by hand) and garbage.
    await a.client.set(`flora:cooldown:${key}_over`, String(now - 1_000));
    await a.client.set(`flora:cooldown:${key}_garbage`, 'not a time');

    const b = await replica();
    expect(b.store.get(key, Date.now())).toBe(now + 15_000);
    expect(b.store.get(`${key}_over`, Date.now())).toBeUndefined();
    expect(b.store.get(`${key}_garbage`, Date.now())).toBeUndefined();
    const blind = await replica({ withoutScan: true });
    expect(blind.store.get(key, Date.now())).toBeUndefined();
  });

  it('loads only its own prefix, glob characters in it taken literally', async () => {
    const a = await replica({ prefix: 'team[1]*:' });
    const now = Date.now();
    a.store.extend('ws_glob', now + 15_000, now);
    // A key of another prefix that the unescaped pattern `team[1]*:*` would match, and whose tail after
    // nine characters (this prefix's length) would read as a key of ours.
    await a.client.set('team1xyz:ws_other', String(now + 15_000));
    let stored: string | null = null;
    expect(
      await eventually(() => {
        void a.client.get('team[1]*:ws_glob').then((v) => {
          stored = v;
        });
        return stored !== null;
      }),
    ).toBe(true);
    const b = await replica({ prefix: 'team[1]*:' });
    expect(b.store.get('ws_glob', Date.now())).toBe(now + 15_000);
    expect(b.store.get('ws_other', Date.now())).toBeUndefined();
  });

  it('a failing start-up scan goes to onError as `load`; the store works without it', async () => {
    const errors: RedisCooldownErrorContext[] = [];
    const b = await replica({
      onError: (_e, context) => errors.push(context),
      scan: () => Promise.reject(new Error('ERR scan refused')),
    });
    expect(errors).toEqual([{ operation: 'load' }]);
    const now = Date.now();
    b.store.extend('ws_after_failed_load', now + 5_000, now);
    expect(b.store.get('ws_after_failed_load', now)).toBe(now + 5_000);
  });

  it('the Redis key expires at `until`', async () => {
    const a = await replica();
    const key = `ws_${Math.random()}`;
    const now = Date.now();
    a.store.extend(key, now + 8_000, now);
    let pttl = -2;
    expect(
      await eventually(() => {
        void a.client.pttl(`flora:cooldown:${key}`).then((t) => {
          pttl = t;
        });
        return pttl > 0;
      }),
    ).toBe(true);
    const expected = now + 8_000 - Date.now();
    expect(pttl).toBeLessThanOrEqual(8_000);
    expect(Math.abs(pttl - expected)).toBeLessThan(1_000);

    // A short pause really disappears from Redis at its end.
    a.store.extend(`${key}_short`, Date.now() + 300, Date.now());
    expect(await eventually(() => a.store.get(`${key}_short`, Date.now()) !== undefined)).toBe(true);
    await sleep(100);
    expect(await a.client.exists(`flora:cooldown:${key}_short`)).toBe(1);
    await sleep(600);
    expect(await a.client.exists(`flora:cooldown:${key}_short`)).toBe(0);
    expect(a.store.get(`${key}_short`, Date.now())).toBeUndefined();
  });

  it('Redis down: get/extend work locally, errors go to onError, nothing throws', async () => {
    const closed = await freePort();
    const down = {
      host: '127.0.0.1',
      port: closed,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    };
    const client = new Redis(down);
    const subscriber = new Redis(down);
    connections.push(client, subscriber);
    const errors: RedisCooldownErrorContext[] = [];
    const store = createRedisCooldownStore({
      client,
      subscriber,
      onError: (_e, c) => {
        errors.push(c);
        throw new Error('a throwing onError is ignored');
      },
    });
    await store.ready;
    expect(errors).toContainEqual({ operation: 'subscribe' });
    const now = Date.now();
    expect(() => store.extend('ws_down', now + 5_000, now)).not.toThrow();
    expect(store.get('ws_down', now)).toBe(now + 5_000);
    expect(store.get('ws_down', now + 5_000)).toBeUndefined();
    expect(await eventually(() => errors.some((e) => e.operation === 'extend'))).toBe(true);
    expect(errors).toContainEqual({ operation: 'extend', key: 'ws_down' });
    await expect(store.dispose()).resolves.toBeUndefined();

    // Without onError, failures are ignored.
    const quiet = createRedisCooldownStore({ client, subscriber, channel: 'other' });
    quiet.extend('ws_down', now + 5_000, now);
    expect(quiet.get('ws_down', now)).toBe(now + 5_000);
    await quiet.ready;
    await expect(quiet.dispose()).resolves.toBeUndefined();
  });

  it('rejects bad options with a TypeError naming the option', () => {
    const client = { eval: async () => 1, publish: async () => 1 };
    const subscriber = {
      subscribe: async () => 1,
      unsubscribe: async () => 1,
      on: () => undefined,
      removeListener: () => undefined,
    };
    const make = (o: unknown) => () => createRedisCooldownStore(o as never);
    expect(make(undefined)).toThrow('createRedisCooldownStore(options) must be an object, got undefined');
    expect(make({ subscriber })).toThrow(
      'createRedisCooldownStore(options).client must be a Redis command connection with eval() and publish() (e.g. an ioredis client), got undefined',
    );
    expect(make({ client: { eval: async () => 1 }, subscriber })).toThrow(
      'createRedisCooldownStore(options).client must be a Redis command connection with eval() and publish() (e.g. an ioredis client): it has no publish() method',
    );
    expect(make({ client })).toThrow(
      /^createRedisCooldownStore\(options\)\.subscriber must be a Redis connection/,
    );
    expect(make({ client, subscriber: { subscribe: async () => 1 } })).toThrow(
      /\.subscriber must be .*: it has no unsubscribe\(\) method$/,
    );
    const both = { ...client, ...subscriber };
    expect(make({ client: both, subscriber: both })).toThrow(
      'createRedisCooldownStore(options).subscriber must be a separate connection from options.client',
    );
    expect(make({ client, subscriber, prefix: 1 })).toThrow(
      'createRedisCooldownStore(options).prefix must be a string, got 1',
    );
    expect(make({ client, subscriber, channel: '' })).toThrow(
      'createRedisCooldownStore(options).channel must be a non-empty string, got ""',
    );
    expect(make({ client, subscriber, onError: 'log' })).toThrow(
      'createRedisCooldownStore(options).onError must be a function, got "log"',
    );
    expect(make({ client, subscriber, maxKeys: 0 })).toThrow(RangeError);
    expect(make({ client, subscriber, ttl: 5 })).toThrow(
      'createRedisCooldownStore(options) has an unknown option "ttl"',
    );
    for (const bad of [{ subscriber }, { client, subscriber, prefix: 1 }])
      expect(make(bad)).toThrow(TypeError);
    // A store is a valid `cooldown.store`.
    const store = createRedisCooldownStore({ client, subscriber });
    expect(() => createRetryPolicy({ cooldown: { store } }).dispose()).not.toThrow();
  });

  describe('end to end: two got clients, one simulator', () => {
    const policies: RetryPolicy[] = [];
    afterEach(() => {
      for (const p of policies.splice(0)) p.dispose();
    });

    it("a 429 seen by client A makes client B's next call wait instead of hitting the server", async () => {
      const sim = await startSimulator();
      try {
        const a = await replica();
        const b = await replica();
        const flora = (store: RedisCooldownStore) => {
          const policy = createRetryPolicy({ cooldown: { store } });
          policies.push(policy);
          return got.extend(floraErrors(), floraRetry(policy), {
            prefixUrl: sim.url,
            headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
            agent: {},
          });
        };
        const clientA = flora(a.store);
        const clientB = flora(b.store);
        sim.faults.add({
          kind: 'status',
          status: 429,
          code: 'rate_limited',
          headers: { 'retry-after': '3' },
          count: 1,
        });
        const callA = clientA('workspaces').json();
        // B learns the pause through Redis (its own policy has seen no 429). The key is the API key's hash.
        const key = cooldownKey(undefined, `Bearer ${SIMULATOR_API_KEY}`);
        let pausedUntil: number | undefined;
        expect(
          await eventually(() => {
            pausedUntil = b.store.get(key, Date.now());
            return pausedUntil !== undefined;
          }, 3000),
        ).toBe(true);
        expect(sim.stats().requests).toBe(1);
        const callB = clientB('workspaces').json();
        await sleep(1000);
        // B is waiting in the cooldown: the server still saw only A's 429.
        expect(sim.stats().requests).toBe(1);
        await expect(callB).resolves.toMatchObject({ workspaces: expect.any(Array) });
        await expect(callA).resolves.toMatchObject({ workspaces: expect.any(Array) });
        // B's call ended no earlier than the pause A's 429 set.
        expect(Date.now()).toBeGreaterThanOrEqual((pausedUntil ?? 0) - 50);
        const stats = sim.stats();
        expect(stats.byStatus['429']).toBe(1);
        expect(stats.requests).toBe(3);
        const first = stats.attempts[0]?.time ?? 0;
        for (const attempt of stats.attempts.slice(1)) {
          expect((attempt.time ?? 0) - first).toBeGreaterThanOrEqual(2_500);
        }
      } finally {
        await sim.close();
      }
    });
  });
});
