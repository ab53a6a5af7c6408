import {
  SCENARIO_NAMES,
  SCENARIOS,
  type SimulatorOptions,
  startSimulator,
} from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call } from './http.js';

const bad = (options: unknown) => startSimulator(options as SimulatorOptions);

describe('configuration is refused with precise errors', () => {
  it.each([
    [
      { scenario: 'storm' },
      RangeError,
      `startSimulator: options.scenario must be one of 'rate-limit-storm', 'brownout', 'outage', 'failing-runs', 'chaos', got "storm"`,
    ],
    [{ port: -1 }, RangeError, 'startSimulator: options.port must be in 0..65535, got -1'],
    [{ port: 70000 }, RangeError, 'startSimulator: options.port must be in 0..65535, got 70000'],
    [{ port: '80' }, TypeError, 'startSimulator: options.port must be a number, got "80"'],
    [{ port: 1.5 }, TypeError, 'startSimulator: options.port must be an integer, got 1.5'],
    [{ seed: 1.5 }, TypeError, 'startSimulator: options.seed must be an integer or a string, got 1.5'],
    [{ now: 5 }, TypeError, 'startSimulator: options.now must be a function returning milliseconds, got 5'],
    [
      { idempotency: 'key' },
      RangeError,
      `startSimulator: options.idempotency must be one of 'header', 'body', 'both', got "key"`,
    ],
    [
      { casing: 'kebab' },
      RangeError,
      `startSimulator: options.casing must be one of 'snake', 'camel', got "kebab"`,
    ],
    [
      { runs: { failureRate: 1.5 } },
      RangeError,
      'startSimulator: options.runs.failureRate must be in 0..1, got 1.5',
    ],
    [
      { runs: { pendingMs: -1 } },
      RangeError,
      'startSimulator: options.runs.pendingMs must be in 0..∞, got -1',
    ],
    [
      { runs: { errorVocabulary: 'prod' } },
      RangeError,
      `startSimulator: options.runs.errorVocabulary must be one of 'docs', 'spec', 'production', got "prod"`,
    ],
    [
      { rateLimit: { requestsPerSecond: 0 } },
      RangeError,
      'startSimulator: options.rateLimit.requestsPerSecond must be in 5e-324..∞, got 0',
    ],
    [
      { rateLimit: { requestsPerSecond: 5, retryAfter: 'never' } },
      RangeError,
      `startSimulator: options.rateLimit.retryAfter must be one of 'seconds', 'http-date', 'ms', 'absent', 'garbage', 'huge', got "never"`,
    ],
    [
      { apiKeys: { sk_test_x: 'simulator' } },
      RangeError,
      `startSimulator: options.apiKeys["sk_test_x"] must be a workspace id starting with 'ws_', got "simulator"`,
    ],
    [{ credits: -5 }, RangeError, 'startSimulator: options.credits must be in 0..∞, got -5'],
    [{ maxBodyBytes: 0 }, RangeError, 'startSimulator: options.maxBodyBytes must be in 1..2147483648, got 0'],
    [
      { faults: [{ kind: 'status', status: 500, code: 'x', probability: 1.5 }] },
      RangeError,
      'startSimulator: options.faults[0].probability must be in 0..1, got 1.5',
    ],
    [
      { faults: [{ kind: 'latency', ms: -10 }] },
      RangeError,
      'startSimulator: options.faults[0].ms must be a finite number ≥ 0, got -10',
    ],
    [
      { faults: [{ kind: 'latency', ms: [50, 10] }] },
      RangeError,
      'startSimulator: options.faults[0].ms must be [min, max] with min ≤ max, got [50,10]',
    ],
    [
      { faults: [{ kind: 'boom' }] },
      RangeError,
      'startSimulator: options.faults[0].kind must be one of status, html, empty, truncated, huge, latency, reset, outage, got "boom"',
    ],
    [
      { faults: [{ kind: 'status', status: 200, code: 'x' }] },
      RangeError,
      'startSimulator: options.faults[0].status must be in 400..599, got 200',
    ],
    [
      { faults: [{ kind: 'empty', route: 'POST /technique/:slug/runs' }] },
      RangeError,
      'startSimulator: options.faults[0].route must be',
    ],
    [
      { faults: [{ kind: 'outage', from: 5 }] },
      TypeError,
      "startSimulator: options.faults[0] of kind 'outage' needs both from and until (ms after start)",
    ],
    [
      { faults: [{ kind: 'empty', from: 10, until: 5 }] },
      RangeError,
      'startSimulator: options.faults[0].until must be greater than from (10), got 5',
    ],
    [
      { faults: [{ kind: 'empty', count: 0 }] },
      RangeError,
      'startSimulator: options.faults[0].count must be ≥ 1, got 0',
    ],
  ])('%j', async (options, type, message) => {
    const p = bad(options);
    await expect(p).rejects.toThrow(type);
    await expect(p).rejects.toThrow(message);
  });

  it('refuses overlapping windows for the same route and kind', async () => {
    await expect(
      bad({
        faults: [
          { kind: 'status', status: 503, code: 'service_unavailable', from: 0, until: 1000 },
          { kind: 'status', status: 500, code: 'internal_error', from: 500, until: 2000 },
        ],
      }),
    ).rejects.toThrow(
      new RangeError(
        "startSimulator: options.faults[1]: the status window 500..2000 ms on route '*' overlaps fault fault_1 (0..1000 ms)",
      ),
    );
    const sim = await startSimulator({ faults: [{ kind: 'outage', from: 10_000, until: 20_000 }] });
    try {
      expect(() => sim.faults.add({ kind: 'outage', from: 19_999, until: 30_000 })).toThrow(RangeError);
      // Adjacent windows, other routes and other kinds are fine.
      sim.faults.add({ kind: 'outage', from: 20_000, until: 30_000 });
      sim.faults.add({ kind: 'empty', from: 0, until: 5000, route: 'GET /models' });
      sim.faults.add({ kind: 'empty', from: 0, until: 5000, route: 'GET /workspaces' });
      sim.faults.add({ kind: 'html', from: 0, until: 5000, route: 'GET /models' });
      expect(sim.faults.list()).toHaveLength(5);
      expect(() => sim.faults.add({ kind: 'latency', ms: 5, probability: -0.1 })).toThrow(
        new RangeError('faults.add(spec).probability must be in 0..1, got -0.1'),
      );
    } finally {
      await sim.close();
    }
  });

  it('never mutates the options object', async () => {
    const options: SimulatorOptions = Object.freeze({
      scenario: 'chaos',
      runs: Object.freeze({ pendingMs: 5 }),
      faults: Object.freeze([Object.freeze({ kind: 'empty', route: 'GET /models' } as const)]),
    });
    const before = JSON.stringify(options);
    const sim = await startSimulator(options);
    await sim.close();
    expect(JSON.stringify(options)).toBe(before);
  });
});

describe('scenarios', () => {
  it('are exported as plain data, one per name', () => {
    expect(SCENARIO_NAMES).toEqual(['rate-limit-storm', 'brownout', 'outage', 'failing-runs', 'chaos']);
    expect(JSON.parse(JSON.stringify(SCENARIOS))).toEqual(SCENARIOS);
    expect(SCENARIOS.brownout.faults).toEqual([
      expect.objectContaining({
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        probability: 0.6,
        from: 1000,
        until: 31000,
      }),
    ]);
    expect((SCENARIOS.brownout.faults[0] as { headers?: unknown }).headers).toBeUndefined();
  });

  it('rate-limit-storm: 20 requests pass, the 21st in the same instant is limited', async () => {
    const sim = await startSimulator({ scenario: 'rate-limit-storm', now: () => 0 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) statuses.push((await call(sim.url, '/models')).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
      expect(statuses[20]).toBe(429);
      expect(sim.scenario).toBe('rate-limit-storm');
    } finally {
      await sim.close();
    }
  });

  it('the caller’s options win over the scenario’s; scenario faults come first', async () => {
    const sim = await startSimulator({
      scenario: 'rate-limit-storm',
      rateLimit: false,
      now: () => 0,
      faults: [{ kind: 'empty', route: 'GET /workspaces' }],
    });
    try {
      for (let i = 0; i < 25; i++) expect((await call(sim.url, '/models')).status).toBe(200);
    } finally {
      await sim.close();
    }
    const chaos = await startSimulator({
      scenario: 'chaos',
      faults: [{ kind: 'empty', route: 'GET /workspaces' }],
    });
    try {
      const kinds = chaos.faults.list().map((f) => f.spec.kind);
      expect(kinds).toHaveLength(SCENARIOS.chaos.faults.length + 1);
      expect(kinds.at(-1)).toBe('empty');
    } finally {
      await chaos.close();
    }
  });

  it('failing-runs: runs fail with production codes', async () => {
    const clock = { t: 0 };
    const sim = await startSimulator({ scenario: 'failing-runs', now: () => clock.t, seed: 3 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await call(sim.url, '/techniques/thumbnail-v3/runs', {
          body: { mode: 'async', inputs: [{ id: 'prompt', type: 'text', value: 'x' }] },
        });
        ids.push(r.json.run_id);
      }
      clock.t = 60_000;
      const runs = await Promise.all(ids.map(async (id) => (await call(sim.url, `/runs/${id}`)).json));
      const failed = runs.filter((r) => r.status === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.length).toBeLessThan(12);
      for (const r of failed) expect(r.error_code).toMatch(/^[A-Z_]+$/);
    } finally {
      await sim.close();
    }
  });

  it('outage and brownout follow their timelines', async () => {
    const clock = { t: 0 };
    const outage = await startSimulator({ scenario: 'outage', now: () => clock.t });
    try {
      expect(outage.isDown()).toBe(false);
      clock.t = 1000;
      await outage.sync();
      expect(outage.isDown()).toBe(true);
      clock.t = 11_000;
      await outage.sync();
      expect(outage.isDown()).toBe(false);
    } finally {
      await outage.close();
    }
    const brownout = await startSimulator({ scenario: 'brownout', now: () => clock.t });
    try {
      const before = (await call(brownout.url, '/models')).status;
      clock.t += 1000;
      const during: number[] = [];
      for (let i = 0; i < 30; i++) during.push((await call(brownout.url, '/models')).status);
      expect(before).toBe(200);
      expect(during.filter((s) => s === 503).length).toBeGreaterThan(9);
      expect(during.filter((s) => s === 200).length).toBeGreaterThan(2);
    } finally {
      await brownout.close();
    }
  });
});
