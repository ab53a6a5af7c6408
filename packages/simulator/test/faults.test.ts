import { type FaultSpec, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { call, networkError } from './http.js';

const RUN_BODY = { mode: 'async', inputs: [{ id: 'prompt', type: 'text', value: 'a cat' }] };
const FAKE: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
};

const tick = () => new Promise<void>((r) => setImmediate(r));
async function untilTimerPending(): Promise<void> {
  for (let i = 0; i < 500 && jest.getTimerCount() === 0; i++) await tick();
  expect(jest.getTimerCount()).toBeGreaterThan(0);
}

describe('faults: responses', () => {
  let sim: Simulator;
  afterEach(async () => {
    await sim.close();
    jest.useRealTimers();
  });

  it('status + code, with or without retry-after, per route', async () => {
    sim = await startSimulator({
      faults: [
        { kind: 'status', status: 503, code: 'service_unavailable', message: 'Down.', route: 'GET /models' },
        {
          kind: 'status',
          status: 503,
          code: 'service_unavailable',
          headers: { 'retry-after': '2' },
          route: 'GET /workspaces',
        },
        { kind: 'status', status: 500, code: 'unknown_error', route: 'POST *' },
      ],
    });
    const a = await call(sim.url, '/models');
    expect(a.status).toBe(503);
    expect(a.json).toEqual({ error: { code: 'service_unavailable', message: 'Down.' } });
    expect(a.headers['retry-after']).toBeUndefined();
    expect(a.headers['request-id']).toMatch(/^req_/);
    const b = await call(sim.url, '/workspaces');
    expect(b.headers['retry-after']).toBe('2');
    const c = await call(sim.url, '/projects', { body: { name: 'x', workspace_id: 'ws_simulator' } });
    expect(c.json).toEqual({ error: { code: 'unknown_error', message: 'Simulated 500 fault.' } });
    expect((await call(sim.url, '/techniques')).status).toBe(200);
    expect(sim.stats().sideEffects.projectsCreated).toBe(0);
    expect(sim.faults.list().map((f) => f.fired)).toEqual([1, 1, 1]);
  });

  it('faults stand in front of auth (an unauthenticated call still sees the 502)', async () => {
    sim = await startSimulator({ faults: [{ kind: 'html' }] });
    const r = await call(sim.url, '/techniques', { apiKey: null });
    expect(r.status).toBe(502);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('<title>502 Bad Gateway</title>');
    expect(r.json).toBeUndefined();
  });

  it('empty 500 body, truncated JSON, huge body', async () => {
    sim = await startSimulator();
    const empty = sim.faults.add({ kind: 'empty', count: 1 });
    const r1 = await call(sim.url, '/techniques');
    expect([r1.status, r1.text, r1.headers['content-type'], r1.headers['content-length']]).toEqual([
      500,
      '',
      'application/json',
      '0',
    ]);
    sim.faults.remove(empty);

    sim.faults.add({ kind: 'truncated', count: 1 });
    const r2 = await call(sim.url, '/techniques');
    expect(r2.status).toBe(500);
    expect(r2.text.startsWith('{"error":{"code":"internal_error"')).toBe(true);
    expect(() => JSON.parse(r2.text)).toThrow(SyntaxError);
    expect(r2.headers['content-length']).toBe(String(Buffer.byteLength(r2.text)));

    sim.faults.add({ kind: 'truncated', status: 200, count: 1 });
    const r3 = await call(sim.url, '/techniques');
    expect(r3.status).toBe(200);
    expect(r3.text.startsWith('{"run_id":"run_')).toBe(true);
    expect(r3.json).toBeUndefined();

    sim.faults.add({ kind: 'huge', count: 1 });
    const r4 = await call(sim.url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY });
    expect(r4.status).toBe(200);
    expect(r4.headers['content-length']).toBe(String(20 * 1024 * 1024));
    expect(r4.text.length).toBe(20 * 1024 * 1024);
    expect(r4.json.data.length).toBe(20 * 1024 * 1024 - 11);
    expect(sim.stats().sideEffects.runsCreated).toBe(0);

    sim.faults.add({ kind: 'huge', status: 500, bytes: 1000, count: 1 });
    const r5 = await call(sim.url, '/techniques');
    expect([r5.status, r5.text.length]).toEqual([500, 1000]);
  });

  it('reset before the side effect: nothing created; after: the run is created and charged', async () => {
    sim = await startSimulator({
      faults: [
        { kind: 'reset', route: 'POST /techniques/:slug/runs', count: 1 },
        { kind: 'reset', phase: 'after', route: 'POST /techniques/:slug/runs', from: 0, count: 1 },
      ],
    });
    // First request: the 'before' fault wins (the 'after' fault is drawn too but only applies if the handler runs).
    expect(await networkError(call(sim.url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY }))).toBe(
      'ECONNRESET',
    );
    let s = sim.stats();
    expect(s.sideEffects).toEqual({
      runsCreated: 0,
      assetsCreated: 0,
      projectsCreated: 0,
      creditsCharged: 0,
    });
    expect(s.attempts[0]).toMatchObject({ status: null, code: 'reset', fault: 'fault_1' });
    // Second request: the 'after' fault: the run exists, the client never hears of it.
    expect(await networkError(call(sim.url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY }))).toBe(
      'ECONNRESET',
    );
    s = sim.stats();
    expect(s.sideEffects).toMatchObject({ runsCreated: 1, creditsCharged: 0.05 });
    expect(s.attempts[1]).toMatchObject({ status: null, code: 'reset', fault: 'fault_2' });
    expect(s.byStatus).toEqual({ none: 2 });
    expect(sim.credits.get()).toBe(99.95);
    expect((await call(sim.url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY })).status).toBe(200);
  });

  it('latency: fixed and ranged, on the (fake) timer clock', async () => {
    jest.useFakeTimers(FAKE);
    sim = await startSimulator({ faults: [{ kind: 'latency', ms: 5000, count: 1 }] });
    let done = false;
    const p = call(sim.url, '/techniques').then((r) => {
      done = true;
      return r;
    });
    await untilTimerPending();
    await jest.advanceTimersByTimeAsync(4999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect((await p).status).toBe(200);
    expect(sim.stats().attempts[0]!.fault).toBe('fault_1');

    sim.faults.clear();
    sim.faults.add({ kind: 'latency', ms: [1000, 1000.5], route: 'GET /models' });
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models' });
    let done2 = false;
    const p2 = call(sim.url, '/models').then((r) => {
      done2 = true;
      return r;
    });
    await untilTimerPending();
    await jest.advanceTimersByTimeAsync(999);
    expect(done2).toBe(false);
    await jest.advanceTimersByTimeAsync(2);
    // Latency composes with the terminal fault after it.
    expect((await p2).status).toBe(500);
  });

  it('close() during a latency wait ends the request and the timer', async () => {
    sim = await startSimulator({ faults: [{ kind: 'latency', ms: 60_000 }] });
    const p = networkError(call(sim.url, '/techniques'));
    for (let i = 0; i < 500 && sim.stats().requests === 0; i++) {
      await tick();
      if (sim.faults.list()[0]!.fired > 0) break;
    }
    await sim.close();
    expect(await p).toBe('ECONNRESET');
  });
});

describe('faults: outage', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('refuses connections during the window, then serves again on the same port (fake timers)', async () => {
    jest.useFakeTimers(FAKE);
    const sim = await startSimulator({ faults: [{ kind: 'outage', from: 1000, until: 3000 }] });
    try {
      const port = sim.port;
      expect((await call(sim.url, '/techniques')).status).toBe(200);
      await jest.advanceTimersByTimeAsync(1000);
      await sim.sync();
      expect(sim.isDown()).toBe(true);
      expect(await networkError(call(sim.url, '/techniques'))).toBe('ECONNREFUSED');
      await jest.advanceTimersByTimeAsync(1999);
      await sim.sync();
      expect(await networkError(call(sim.url, '/techniques'))).toBe('ECONNREFUSED');
      await jest.advanceTimersByTimeAsync(1);
      await sim.sync();
      expect(sim.isDown()).toBe(false);
      expect(sim.port).toBe(port);
      expect((await call(sim.url, '/techniques')).status).toBe(200);
      const s = sim.stats();
      expect(s.outages).toBe(1);
      expect(s.requests).toBe(2); // refused connections never reach the server
      expect(sim.faults.list()[0]!.fired).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('an injected clock plus sync() drives outages; a request arriving late is dropped and counted', async () => {
    const clock = { t: 0 };
    const sim = await startSimulator({ now: () => clock.t });
    try {
      sim.faults.add({ kind: 'outage', from: 100, until: 200 });
      expect((await call(sim.url, '/models')).status).toBe(200);
      clock.t = 150; // no timer follows an injected clock: the next connection notices
      expect(await networkError(call(sim.url, '/models'))).toBe('ECONNRESET');
      await sim.sync();
      expect(await networkError(call(sim.url, '/models'))).toBe('ECONNREFUSED');
      clock.t = 200;
      await sim.sync();
      expect((await call(sim.url, '/models')).status).toBe(200);
      expect(sim.stats().connectionsDroppedByOutage).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('close() during an outage resolves and leaves nothing listening', async () => {
    const clock = { t: 0 };
    const sim = await startSimulator({
      now: () => clock.t,
      faults: [{ kind: 'outage', from: 0, until: 1000 }],
    });
    expect(sim.isDown()).toBe(true);
    await sim.close();
    expect(await networkError(call(sim.url, '/models'))).toBe('ECONNREFUSED');
  });
});

describe('faults: scheduling and determinism', () => {
  const sequence = async (seed: number | string, spec: FaultSpec): Promise<number[]> => {
    const sim = await startSimulator({ seed, faults: [spec] });
    try {
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await call(sim.url, '/workspaces')).status);
      return out;
    } finally {
      await sim.close();
    }
  };

  it('the same seed gives the same fault sequence, another seed another one', async () => {
    const spec: FaultSpec = { kind: 'status', status: 503, code: 'service_unavailable', probability: 0.5 };
    const a = await sequence(42, spec);
    expect(await sequence(42, spec)).toEqual(a);
    expect(await sequence(43, spec)).not.toEqual(a);
    expect(await sequence('ci', spec)).toEqual(await sequence('ci', spec));
    const failures = a.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it('time windows use the simulator clock relative to start; count limits firing', async () => {
    const clock = { t: 10_000 };
    const sim = await startSimulator({
      now: () => clock.t,
      faults: [
        { kind: 'status', status: 500, code: 'internal_error', from: 1000, until: 2000 },
        { kind: 'status', status: 502, code: 'bad_gateway', count: 2, route: 'GET /models' },
      ],
    });
    try {
      expect((await call(sim.url, '/workspaces')).status).toBe(200);
      clock.t = 11_000;
      expect((await call(sim.url, '/workspaces')).status).toBe(500);
      expect(sim.elapsed()).toBe(1000);
      clock.t = 12_000;
      expect((await call(sim.url, '/workspaces')).status).toBe(200);
      const models = [];
      for (let i = 0; i < 3; i++) models.push((await call(sim.url, '/models')).status);
      expect(models).toEqual([502, 502, 200]);
      expect(sim.faults.list().map((f) => [f.id, f.fired])).toEqual([
        ['fault_1', 1],
        ['fault_2', 2],
      ]);
    } finally {
      await sim.close();
    }
  });

  it('add/remove/list/clear', async () => {
    const sim = await startSimulator();
    try {
      const spec: FaultSpec = { kind: 'status', status: 500, code: 'internal_error' };
      const id = sim.faults.add(spec);
      spec.status = 599; // the controller keeps its own copy
      const listed = sim.faults.list();
      expect(listed).toEqual([
        { id, spec: { kind: 'status', status: 500, code: 'internal_error' }, fired: 0 },
      ]);
      listed[0]!.spec.route = 'GET /models'; // and hands out copies
      expect((await call(sim.url, '/workspaces')).status).toBe(500);
      expect(sim.faults.remove(id)).toBe(true);
      expect(sim.faults.remove(id)).toBe(false);
      expect((await call(sim.url, '/workspaces')).status).toBe(200);
      sim.faults.add({ kind: 'empty' });
      sim.faults.clear();
      expect(sim.faults.list()).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
