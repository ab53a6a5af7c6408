import {
  floraErrors,
  isFloraAbortError,
  isFloraDeadlineError,
  isFloraRunFailedError,
} from '@flora-resilience/errors';
import { waitForRun } from '@flora-resilience/got';
import {
  SIMULATOR_API_KEY,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '@flora-resilience/simulator';
import { afterEach, describe, expect, it } from '@jest/globals';
import got, { type Got } from 'got';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(options: SimulatorOptions = {}): Promise<{ sim: Simulator; client: Got }> {
  sim = await startSimulator({ runs: { pendingMs: 30, runningMs: 60 }, ...options });
  const client = got.extend(
    { prefixUrl: sim.url, headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` }, retry: { limit: 0 } },
    floraErrors(),
  );
  return { sim, client };
}

const fast = { minIntervalMs: 10, maxIntervalMs: 20, maxFirstWaitMs: 20 };

async function startRun(client: Got): Promise<Record<string, unknown>> {
  return client
    .post('techniques/thumbnail-v3/runs', {
      json: { inputs: [{ id: 'prompt', type: 'text', value: 'a fox' }], mode: 'async' },
    })
    .json<Record<string, unknown>>();
}

const polls = (s: Simulator) =>
  s.stats().attempts.filter((a) => a.method === 'GET' && a.route.includes('/runs/:')).length;

describe('waitForRun against the simulator', () => {
  it('resolves with the completed run, keyed on status only', async () => {
    const { sim, client } = await setup();
    const run = await startRun(client);
    const done = await waitForRun(client, run, fast);
    expect(done.status).toBe('completed');
    expect(done.run_id).toBe(run.run_id);
    expect(Array.isArray(done.outputs)).toBe(true);
    expect(polls(sim)).toBeGreaterThanOrEqual(1);
  });

  it('accepts a bare run id', async () => {
    const { client } = await setup();
    const run = await startRun(client);
    const done = await waitForRun(client, String(run.run_id), fast);
    expect(done.status).toBe('completed');
  });

  it('rejects a failed run with FloraRunFailedError carrying the run id, the code and the poll request-id', async () => {
    const { sim, client } = await setup({
      runs: { pendingMs: 10, runningMs: 20, failureRate: 1, errorVocabulary: 'docs' },
    });
    const run = await startRun(client);
    const error = await waitForRun(client, run, fast).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFloraRunFailedError(error)).toBe(true);
    if (!isFloraRunFailedError(error)) return;
    expect(error.runId).toBe(run.run_id);
    expect(error.category).toBe('run_failed');
    const last = sim.stats().attempts.at(-1);
    expect(error.requestId).toBe(last?.requestId);
  });

  it('copes with camelCase run bodies', async () => {
    const { client } = await setup({ casing: 'camel' });
    const run = await startRun(client);
    expect(run.runId).toBeDefined();
    const done = await waitForRun(client, run, fast);
    expect(done.status).toBe('completed');
  });

  it('re-runs a transiently failed run only when asked, a bounded number of times, each with a new run', async () => {
    const { sim, client } = await setup({
      runs: {
        pendingMs: 10,
        runningMs: 10,
        failureRate: 1,
        errorVocabulary: [{ code: 'GENERATION_PROVIDER_TIMEOUT', message: 'timeout' }],
      },
    });
    const first = await startRun(client);
    const started: unknown[] = [];
    const error = await waitForRun(client, first, {
      ...fast,
      rerun: {
        maxReruns: 2,
        start: async () => {
          const r = await startRun(client);
          started.push(r.run_id);
          return r;
        },
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFloraRunFailedError(error) && error.recovery).toBe('retry_now');
    expect(started).toHaveLength(2);
    expect(new Set([first.run_id, ...started]).size).toBe(3);
    expect(sim.stats().sideEffects.runsCreated).toBe(3);
  });

  it('never re-runs a moderated failure, even when re-runs are on', async () => {
    const { client } = await setup({
      runs: {
        pendingMs: 10,
        runningMs: 10,
        failureRate: 1,
        errorVocabulary: [
          {
            code: 'GPU_PROVIDER_ERROR',
            message: 'Your request was rejected by the safety system. safety_violations=[sexual]',
          },
        ],
      },
    });
    const run = await startRun(client);
    let reruns = 0;
    const error = await waitForRun(client, run, {
      ...fast,
      rerun: {
        start: async () => {
          reruns += 1;
          return startRun(client);
        },
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFloraRunFailedError(error) && [error.moderated, error.retryable]).toEqual([true, false]);
    expect(reruns).toBe(0);
  });

  it('ends with FloraDeadlineError when the run outlives the deadline', async () => {
    const { client } = await setup({ runs: { pendingMs: 10_000, runningMs: 10_000 } });
    const run = await startRun(client);
    const error = await waitForRun(client, run, { ...fast, deadlineMs: 120 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFloraDeadlineError(error)).toBe(true);
  });

  it('ends with FloraAbortError when the caller aborts', async () => {
    const { client } = await setup({ runs: { pendingMs: 10_000, runningMs: 10_000 } });
    const run = await startRun(client);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await waitForRun(client, run, { ...fast, signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFloraAbortError(error)).toBe(true);
  });

  it('follows poll_url only to the API’s own origin (the Authorization header goes with it)', async () => {
    const { sim, client } = await setup();
    const run = await startRun(client);
    const hostile = { ...run, poll_url: `http://127.0.0.2:${sim.port}/api/v1/runs/${String(run.run_id)}` };
    const done = await waitForRun(client, hostile, fast);
    expect(done.status).toBe('completed');
    expect(polls(sim)).toBeGreaterThanOrEqual(1);
  });

  it('validates options loudly', async () => {
    const { client } = await setup();
    await expect(waitForRun(client, 'run_x', { minIntervalMs: -1 })).rejects.toThrow(
      'waitForRun: options.minIntervalMs must be a positive finite number, got -1',
    );
    await expect(waitForRun(client, 'run_x', { minIntervalMs: 5000, maxIntervalMs: 100 })).rejects.toThrow(
      RangeError,
    );
    await expect(waitForRun(client, {}, {})).rejects.toThrow('expected a run id');
    // @ts-expect-error unknown option
    await expect(waitForRun(client, 'run_x', { pollEvery: 1 })).rejects.toThrow('unknown option "pollEvery"');
  });
});
