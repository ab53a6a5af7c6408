import {
  type Breaker,
  type BreakerRegistry,
  type BreakerStateChange,
  createBreakerRegistry,
} from '@flora-resilience/circuit-breaker';
import { type CircuitOpenError, isCircuitOpenError } from '@flora-resilience/errors';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';

const KEY = 'POST /techniques/thumbnail-v3/runs';
let registries: BreakerRegistry[] = [];

function registry(options?: Parameters<typeof createBreakerRegistry>[0]): BreakerRegistry {
  const r = createBreakerRegistry(options);
  registries.push(r);
  return r;
}

function changes(r: BreakerRegistry): Array<Omit<BreakerStateChange, 'time'>> {
  const events: Array<Omit<BreakerStateChange, 'time'>> = [];
  r.onStateChange(({ time: _time, ...rest }) => events.push(rest));
  return events;
}

function fail(b: Breaker, n = 1): void {
  for (let i = 0; i < n; i++) b.acquire().failure(new Error('503'));
}
function succeed(b: Breaker, n = 1): void {
  for (let i = 0; i < n; i++) b.acquire().success();
}
function neutral(b: Breaker, n = 1): void {
  for (let i = 0; i < n; i++) b.acquire().release();
}
/** opossum settles through promises: let them run. */
const settle = () => jest.advanceTimersByTimeAsync(0);

function refusal(b: Breaker): CircuitOpenError {
  try {
    b.acquire({
      method: 'POST',
      url: 'https://app.flora.ai/api/v1/techniques/thumbnail-v3/runs?token=secret',
    });
  } catch (error) {
    if (isCircuitOpenError(error)) return error;
    throw error;
  }
  throw new Error('the breaker let the attempt through');
}

/** Opens a fresh breaker with the default volume (10 failures). */
async function opened(b: Breaker): Promise<void> {
  fail(b, 10);
  await settle();
  expect(b.state).toBe('open');
}

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  for (const r of registries) r.dispose();
  registries = [];
  jest.useRealTimers();
});

describe('opening', () => {
  it('stays closed below the volume threshold, opens at it when failures exceed 50 %', async () => {
    const r = registry();
    const events = changes(r);
    const b = r.get(KEY);
    fail(b, 9);
    await settle();
    expect(b.state).toBe('closed');
    fail(b);
    await settle();
    expect(b.state).toBe('open');
    expect(events).toEqual([{ key: KEY, from: 'closed', to: 'open' }]);
  });

  it('does not open while at most half of the counted attempts fail', async () => {
    const b = registry().get(KEY);
    for (let i = 0; i < 20; i++) {
      succeed(b);
      fail(b);
    }
    await settle();
    expect(b.state).toBe('closed');
    expect(b.stats()).toMatchObject({ admitted: 40, successes: 20, failures: 20, failurePercentage: 50 });
  });

  it('refuses at once while open, with the key, retryAfterMs and no secret', async () => {
    const r = registry();
    const b = r.get(KEY);
    await opened(b);
    await jest.advanceTimersByTimeAsync(250);
    const error = refusal(b);
    expect(error).toMatchObject({
      name: 'CircuitOpenError',
      code: 'circuit_open',
      category: 'circuit_open',
      retryable: false,
      key: KEY,
      retryAfterMs: 750,
      method: 'POST',
      url: 'https://app.flora.ai/api/v1/techniques/thumbnail-v3/runs',
    });
    expect(error.message).toContain('next probe in 750 ms');
    expect(JSON.stringify(error)).not.toContain('secret');
    expect(r.stats()).toMatchObject({ open: 1, rejected: 1 });
    expect(b.stats().rejected).toBe(1);
    // a refusal is not an attempt: it does not inflate the window
    expect(b.stats().admitted).toBe(10);
  });
});

describe('probing with backoff', () => {
  it('probes after 1 s, doubles the wait per failed probe up to 30 s, and starts over after closing', async () => {
    const r = registry();
    const events = changes(r);
    const b = r.get(KEY);
    await opened(b);
    const waits: number[] = [];
    for (let round = 0; round < 7; round++) {
      const wait = b.retryAfterMs();
      waits.push(wait);
      await jest.advanceTimersByTimeAsync(wait - 1);
      expect(b.state).toBe('open');
      await jest.advanceTimersByTimeAsync(1);
      expect(b.state).toBe('half_open');
      const probe = b.acquire();
      expect(probe.probe).toBe(true);
      // only one probe at a time
      const busy = refusal(b);
      expect(busy.message).toContain('a probe is in flight');
      expect(busy.retryAfterMs).toBe(Math.min(1000 * 2 ** (round + 1), 30_000));
      probe.failure();
      await settle();
      expect(b.state).toBe('open');
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(b.stats().failedProbes).toBe(7);

    await jest.advanceTimersByTimeAsync(30_000);
    b.acquire().success();
    await settle();
    expect(b.state).toBe('closed');
    expect(b.stats()).toMatchObject({ failedProbes: 0, admitted: 0, failures: 0, retryAfterMs: 0 });

    await opened(b);
    expect(b.retryAfterMs()).toBe(1000);
    expect(events.slice(0, 4)).toEqual([
      { key: KEY, from: 'closed', to: 'open' },
      { key: KEY, from: 'open', to: 'half_open' },
      { key: KEY, from: 'half_open', to: 'open' },
      { key: KEY, from: 'open', to: 'half_open' },
    ]);
    expect(events.slice(-3)).toEqual([
      { key: KEY, from: 'open', to: 'half_open' },
      { key: KEY, from: 'half_open', to: 'closed' },
      { key: KEY, from: 'closed', to: 'open' },
    ]);
  });

  it('forgets the failures that opened it once a probe closes it', async () => {
    const b = registry().get(KEY);
    await opened(b);
    await jest.advanceTimersByTimeAsync(1000);
    b.acquire().success();
    await settle();
    fail(b, 9);
    await settle();
    expect(b.state).toBe('closed');
  });

  it('does not count an attempt admitted before the last close (stale evidence)', async () => {
    const b = registry().get(KEY);
    const old = b.acquire();
    await opened(b);
    await jest.advanceTimersByTimeAsync(1000);
    b.acquire().success();
    await settle();
    old.failure();
    await settle();
    expect(b.stats()).toMatchObject({ failures: 0, admitted: 0 });
  });

  it('lets only the probe decide a half-open breaker: attempts admitted before it opened are late evidence', async () => {
    const b = registry().get(KEY);
    const lateFailure = b.acquire();
    const lateSuccess = b.acquire();
    await opened(b);
    await jest.advanceTimersByTimeAsync(1000);
    expect(b.state).toBe('half_open');
    lateFailure.failure(new Error('503 from before the outage was seen'));
    lateSuccess.success();
    await settle();
    expect(b.state).toBe('half_open');
    const probe = b.acquire();
    expect(probe.probe).toBe(true);
    probe.success();
    await settle();
    expect(b.state).toBe('closed');
  });

  it('counts an attempt admitted while closed once its outcome is known, not while it is in flight', async () => {
    const b = registry().get(KEY);
    const inFlight = Array.from({ length: 30 }, () => b.acquire());
    expect(b.stats()).toMatchObject({ admitted: 0, successes: 0, failures: 0 });
    for (const p of inFlight.slice(0, 20)) p.success();
    for (const p of inFlight.slice(20)) p.failure(new Error('503'));
    await settle();
    expect(b.stats()).toMatchObject({ admitted: 30, successes: 20, failures: 10 });
    expect(b.state).toBe('closed');
  });

  it('honours custom reset options', async () => {
    const b = registry({
      resetTimeoutMs: 200,
      backoffFactor: 3,
      maxResetTimeoutMs: 1000,
      volumeThreshold: 2,
    }).get(KEY);
    fail(b, 2);
    await settle();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      waits.push(b.retryAfterMs());
      await jest.advanceTimersByTimeAsync(b.retryAfterMs());
      b.acquire().failure();
      await settle();
    }
    expect(waits).toEqual([200, 600, 1000, 1000]);
  });
});

describe('neutral outcomes (caller errors, 429, aborts) count as neither', () => {
  it('a flood of neutral attempts never opens a breaker and leaves the window empty', async () => {
    const b = registry().get(KEY);
    neutral(b, 1000);
    await settle();
    expect(b.state).toBe('closed');
    expect(b.stats()).toMatchObject({ admitted: 0, successes: 0, failures: 0 });
  });

  it('does not dilute failures: 10 failures among 100 neutral attempts still open it', async () => {
    const b = registry().get(KEY);
    fail(b, 5);
    neutral(b, 100);
    fail(b, 4);
    await settle();
    expect(b.state).toBe('closed');
    fail(b);
    await settle();
    expect(b.state).toBe('open');
  });

  it('does not heal: a neutral probe re-opens the breaker for the same wait, without a backoff step', async () => {
    const r = registry();
    const events = changes(r);
    const b = r.get(KEY);
    await opened(b);
    await jest.advanceTimersByTimeAsync(1000);
    b.acquire().failure(); // first failed probe: next wait 2 s
    await settle();
    await jest.advanceTimersByTimeAsync(2000);
    expect(b.state).toBe('half_open');
    const probe = b.acquire();
    probe.release();
    expect(b.state).toBe('open');
    expect(b.retryAfterMs()).toBe(2000);
    expect(b.stats().failedProbes).toBe(1);
    await jest.advanceTimersByTimeAsync(2000);
    // a flood of caller errors while half-open: the first is the probe, the rest are refused
    const flood = [b.acquire()];
    for (let i = 0; i < 20; i++) expect(() => b.acquire()).toThrow('a probe is in flight');
    for (const p of flood) p.release();
    expect(b.state).toBe('open');
    await jest.advanceTimersByTimeAsync(2000);
    b.acquire().success();
    await settle();
    expect(b.state).toBe('closed');
    expect(events.map((e) => e.to)).toEqual([
      'open',
      'half_open',
      'open',
      'half_open',
      'open',
      'half_open',
      'open',
      'half_open',
      'closed',
    ]);
  });

  it('a permit reports once; later reports are ignored', async () => {
    const b = registry().get(KEY);
    const p = b.acquire();
    expect(p.settled).toBe(false);
    p.success();
    p.failure();
    p.release();
    expect(p.settled).toBe(true);
    await settle();
    expect(b.stats()).toMatchObject({ admitted: 1, successes: 1, failures: 0 });
  });
});

describe('the registry', () => {
  it('keys attempts per FLORA operation: method + route template, slugs kept, ids as :id', () => {
    const r = registry();
    const api = 'https://app.flora.ai/api/v1';
    expect(r.keyOf('post', `${api}/techniques/thumbnail-v3/runs`)).toBe('POST /techniques/thumbnail-v3/runs');
    expect(r.keyOf('POST', `${api}/techniques/upscale-4k/runs`)).toBe('POST /techniques/upscale-4k/runs');
    expect(r.keyOf('GET', new URL(`${api}/techniques/cctv-cam/runs/run_9f8e7d`))).toBe(
      'GET /techniques/cctv-cam/runs/:id',
    );
    expect(r.keyOf('GET', `${api}/assets/asset_1a2b?sig=x`)).toBe('GET /assets/:id');
    expect(r.keyOf('GET', `${api}/workspaces/ws_42/projects/prj_7`)).toBe('GET /workspaces/:id/projects/:id');
  });

  it('takes a replacement key function', () => {
    const r = registry({ keyOf: (method, url) => `${method} ${new URL(String(url)).host}` });
    expect(r.keyOf('GET', 'https://app.flora.ai/api/v1/models')).toBe('GET app.flora.ai');
  });

  it('keeps one breaker per key, isolated from the others', async () => {
    const r = registry();
    const a = r.get(KEY);
    expect(r.get(KEY)).toBe(a);
    const other = r.get('POST /techniques/upscale-4k/runs');
    await opened(a);
    expect(other.state).toBe('closed');
    expect(() => other.acquire().success()).not.toThrow();
    expect([...r.states()]).toEqual(
      expect.arrayContaining([
        [KEY, 'open'],
        ['POST /techniques/upscale-4k/runs', 'closed'],
      ]),
    );
    expect(r.stats()).toMatchObject({ size: 2, open: 1, closed: 1, halfOpen: 0 });
  });

  it('is bounded: the least recently used breaker goes, and an open one says so', async () => {
    const r = registry({ maxKeys: 3 });
    const events = changes(r);
    const first = r.get('GET /a');
    await opened(first);
    r.get('GET /b');
    r.get('GET /c');
    r.states(); // reading states does not make /a recent
    r.get('GET /d');
    expect(r.size).toBe(3);
    expect([...r.states().keys()].sort()).toEqual(['GET /b', 'GET /c', 'GET /d']);
    expect(events.at(-1)).toEqual({ key: 'GET /a', from: 'open', to: 'closed', evicted: true });
    expect(r.stats().evicted).toBe(1);
    // the evicted breaker is shut down; its key starts over closed
    expect(r.get('GET /a').state).toBe('closed');
    expect(r.get('GET /a')).not.toBe(first);
    // get() refreshes recency: /c was used last before /a came back, so /b went
    expect([...r.states().keys()].sort()).toEqual(['GET /a', 'GET /c', 'GET /d']);
  });

  it('onStateChange returns a disposable that stops delivery', async () => {
    const r = registry();
    const seen: string[] = [];
    const sub = r.onStateChange((e) => seen.push(e.to));
    const b = r.get(KEY);
    await opened(b);
    sub.dispose();
    sub.dispose();
    await jest.advanceTimersByTimeAsync(1000);
    expect(b.state).toBe('half_open');
    expect(seen).toEqual(['open']);
    expect(() => r.onStateChange('nope' as never)).toThrow(
      'BreakerRegistry.onStateChange: listener must be a function, got string',
    );
  });

  it('dispose() is final and idempotent, and emits nothing', async () => {
    const r = registry();
    const seen: string[] = [];
    r.onStateChange((e) => seen.push(e.to));
    const b = r.get(KEY);
    await opened(b);
    r.dispose();
    r.dispose();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(seen).toEqual(['open']);
    expect(r.disposed).toBe(true);
    expect(r.size).toBe(0);
    expect(() => r.get(KEY)).toThrow(
      "BreakerRegistry.get('POST /techniques/thumbnail-v3/runs'): the registry was disposed",
    );
    expect(() => b.acquire()).toThrow('was disposed');
  });
});

describe('timers', () => {
  // Fake timers count every timer, unref'd ones included (which getActiveResourcesInfo() and Jest's
  // --detectOpenHandles both skip), so this is the strict check.
  it('one shared window timer for all breakers, one reset timer per open breaker, none after dispose()', async () => {
    expect(jest.getTimerCount()).toBe(0);
    const r = registry();
    for (let i = 0; i < 50; i++) r.get(`GET /op-${i}`);
    expect(jest.getTimerCount()).toBe(1);
    for (let i = 0; i < 3; i++) fail(r.get(`GET /op-${i}`), 10);
    await settle();
    expect(r.stats().open).toBe(3);
    expect(jest.getTimerCount()).toBe(1 + 3);
    r.dispose();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('starts the shared window timer only when a breaker exists', () => {
    const r = registry();
    expect(jest.getTimerCount()).toBe(0);
    r.get('GET /a');
    expect(jest.getTimerCount()).toBe(1);
  });

  it('the rolling window forgets failures older than 10 s', async () => {
    const b = registry().get(KEY);
    fail(b, 9);
    await settle();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(b.stats().failures).toBe(0);
    fail(b);
    await settle();
    expect(b.state).toBe('closed');
  });
});
