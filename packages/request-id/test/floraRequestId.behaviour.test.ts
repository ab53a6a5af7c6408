import { isFloraAbortError, isFloraError } from '@flora-resilience/errors';
import {
  floraRequestId,
  getRequestId,
  getRequestIds,
  type RequestIdSink,
} from '@flora-resilience/request-id';
import type { Simulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { answeredIds, memoryLogger, plainClient, useSharedSimulator } from './helpers.js';

let sim: Simulator;
useSharedSimulator((s) => {
  sim = s;
});
afterEach(() => {
  jest.restoreAllMocks();
});

/** From the second attempt on, the simulator answers after `ms` (added when got retries). */
const slowAfterFirstAttempt = (ms: number) => ({
  hooks: {
    beforeRetry: [
      () => {
        if (!sim.faults.list().some((f) => f.spec.kind === 'latency')) {
          sim.faults.add({ kind: 'latency', ms, route: 'GET /models' });
        }
      },
    ],
  },
});

const failing = () =>
  sim.faults.add({
    kind: 'status',
    status: 503,
    code: 'service_unavailable',
    route: 'GET /models',
    count: 1,
  });

describe('levels', () => {
  it('logs each line at the configured level', async () => {
    failing();
    const logger = memoryLogger();
    const client = plainClient(sim).extend(
      floraRequestId({ logger, levels: { retry: 'info', success: 'trace' } }),
    );
    await client.get('models');
    expect(logger.lines.map((l) => l.level)).toEqual(['info', 'trace']);
  });

  it('drops a line whose level is false, keeping the others', async () => {
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models' });
    const logger = memoryLogger();
    const client = plainClient(sim).extend(floraRequestId({ logger, levels: { retry: false } }));
    await client.get('models').catch(() => undefined);
    expect(logger.lines.map((l) => l.level)).toEqual(['error']);
    const quiet = memoryLogger();
    await plainClient(sim, 0)
      .extend(floraRequestId({ logger: quiet, levels: { retry: false, failure: false, success: false } }))
      .get('models')
      .catch(() => undefined);
    expect(quiet.lines).toEqual([]);
  });

  it('asks a logger with isLevelEnabled first: a disabled level is never called, and the answer is read per line', async () => {
    const calls: string[] = [];
    let enabled = new Set(['warn', 'error']);
    const logger = {
      isLevelEnabled: (level: string) => enabled.has(level),
      debug: (_o: object, m: string) => void calls.push(`debug ${m}`),
      warn: (_o: object, m: string) => void calls.push(`warn ${m}`),
      error: (_o: object, m: string) => void calls.push(`error ${m}`),
    };
    const client = plainClient(sim).extend(floraRequestId({ logger }));
    failing();
    await client.get('models');
    expect(calls).toEqual(['warn FLORA call failed, retrying']);
    enabled = new Set(['debug', 'warn', 'error']);
    await client.get('models');
    expect(calls).toEqual(['warn FLORA call failed, retrying', 'debug FLORA call succeeded']);
  });

  it('gives every line to a logger whose isLevelEnabled throws', async () => {
    const calls: string[] = [];
    const logger = {
      isLevelEnabled: () => {
        throw new Error('broken level check');
      },
      debug: (_o: object, m: string) => void calls.push(`debug ${m}`),
      warn: () => undefined,
      error: () => undefined,
    };
    await plainClient(sim).extend(floraRequestId({ logger })).get('models');
    expect(calls).toEqual(['debug FLORA call succeeded']);
  });

  it('accepts a logger that only has the methods of the levels in use', async () => {
    const lines: string[] = [];
    const logger = { warn: (_o: object, m: string) => void lines.push(`warn ${m}`) };
    const plugin = floraRequestId({ logger, levels: { retry: 'warn', failure: false, success: false } });
    failing();
    await plainClient(sim).extend(plugin).get('models');
    expect(lines).toEqual(['warn FLORA call failed, retrying']);
    expect(() => floraRequestId({ logger })).toThrow(
      'floraRequestId: options.logger.error must be a function (options.levels.failure is "error"), got undefined',
    );
  });
});

describe('a logger never changes the outcome', () => {
  const throwing = {
    warn: () => {
      throw new Error('disk full');
    },
    error: () => {
      throw new Error('disk full');
    },
    debug: () => Promise.reject(new Error('async transport down')),
  };

  it('a success stays a success', async () => {
    failing();
    const response = await plainClient(sim)
      .extend(floraRequestId({ logger: throwing }))
      .get('models');
    expect(response.statusCode).toBe(200);
    expect(getRequestIds(response)).toEqual(answeredIds(sim));
  });

  it('a failure stays the same FloraError', async () => {
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models' });
    const error = await plainClient(sim)
      .extend(floraRequestId({ logger: throwing }))
      .get('models')
      .catch((e: unknown) => e);
    if (!isFloraError(error)) throw new Error('expected a FloraError');
    expect(error.code).toBe('internal_error');
    expect(error.requestIds).toEqual(answeredIds(sim));
  });
});

describe('without a logger', () => {
  it('prints nothing and throws nothing, and still captures the ids', async () => {
    const writes: unknown[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(chunk);
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      writes.push(chunk);
      return true;
    });
    failing();
    const client = plainClient(sim).extend(floraRequestId());
    const response = await client.get('models');
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models' });
    const error = await client.get('models').catch((e: unknown) => e);
    jest.restoreAllMocks();
    expect(writes).toEqual([]);
    expect(getRequestIds(response)).toHaveLength(2);
    expect(getRequestIds(error)).toHaveLength(3);
  });
});

describe('failures that skip got’s beforeError', () => {
  it('an abort still yields the ids received so far, on the error and in the failure line', async () => {
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 1,
    });
    const logger = memoryLogger();
    const controller = new AbortController();
    const sink: RequestIdSink = {};
    const call = plainClient(sim)
      .extend(slowAfterFirstAttempt(5_000), floraRequestId({ logger }))
      .get('models', { signal: controller.signal, context: { requestIdSink: sink } });
    for (let i = 0; i < 200 && sim.stats().requests < 2; i++) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await call.catch((e: unknown) => e);
    const [first] = answeredIds(sim);
    expect(getRequestIds(error)).toEqual([first]);
    expect(getRequestId(error)).toBe(first);
    expect(sink.requestIds).toEqual([first]);
    const last = logger.lines.at(-1);
    expect(last?.level).toBe('error');
    expect(last?.obj).toMatchObject({ code: 'aborted', category: 'aborted', requestIds: [first] });
    expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'error']);
  });

  it('an attempt timeout is a FloraTimeoutError with the ids of earlier answered attempts', async () => {
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 1,
    });
    const logger = memoryLogger();
    const error = await plainClient(sim, 1)
      .extend({ timeout: { request: 100 } }, slowAfterFirstAttempt(2_000), floraRequestId({ logger }))
      .get('models')
      .catch((e: unknown) => e);
    if (!isFloraError(error)) throw new Error('expected a FloraError');
    expect(error.code).toBe('attempt_timeout');
    expect(error.requestIds).toEqual([answeredIds(sim)[0]]);
    expect(logger.lines.map((l) => [l.level, l.obj.code])).toEqual([
      ['warn', 'service_unavailable'],
      ['error', 'attempt_timeout'],
    ]);
    expect(isFloraAbortError(error)).toBe(false);
  });
});

describe('workspace', () => {
  it('per-call context.flora.workspaceId wins over the factory default, on lines and errors', async () => {
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models' });
    const logger = memoryLogger();
    const client = plainClient(sim, 0).extend(floraRequestId({ logger, workspaceId: 'ws_default' }));
    const error = await client
      .get('models', { context: { flora: { workspaceId: 'ws_call' } } })
      .catch((e: unknown) => e);
    if (!isFloraError(error)) throw new Error('expected a FloraError');
    expect(error.workspaceId).toBe('ws_call');
    expect(logger.lines[0]?.obj.workspaceId).toBe('ws_call');
    await client.get('models').catch(() => undefined);
    expect(logger.lines[1]?.obj.workspaceId).toBe('ws_default');
  });

  it.each([
    [{ flora: 'ws_1' }, 'floraRequestId: context.flora must be an object, got "ws_1"'],
    [
      { flora: { workspaceId: 42 } },
      'floraRequestId: context.flora.workspaceId must be a non-empty string, got number',
    ],
    [
      { flora: { workspaceId: ' ' } },
      'floraRequestId: context.flora.workspaceId must be a non-empty string, got " "',
    ],
    [
      { requestIdSink: 'x' },
      'floraRequestId: context.requestIdSink must be a writable object (e.g. {}), got "x"',
    ],
    [
      { requestIdSink: Object.freeze({}) },
      'floraRequestId: context.requestIdSink must be a writable object (e.g. {}), got a frozen object',
    ],
  ])('rejects a bad per-call context %j with a precise TypeError', async (context, message) => {
    const client = plainClient(sim).extend(floraRequestId());
    await expect(async () => client.get('models', { context })).rejects.toThrow(new TypeError(message));
    expect(sim.stats().requests).toBe(0);
  });
});
