import { floraErrors, isFloraApiError, isFloraError } from '@flora-resilience/errors';
import {
  floraRequestId,
  getRequestId,
  getRequestIds,
  LOG_MESSAGES,
  type RequestIdSink,
} from '@flora-resilience/request-id';
import { SIMULATOR_WORKSPACE_ID, type Simulator } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import got from 'got';
import { answeredIds, memoryLogger, plainClient, useSharedSimulator } from './helpers.js';

let sim: Simulator;
useSharedSimulator((s) => {
  sim = s;
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('success path', () => {
  it('puts the request-id on the response as a property and behind the accessor', async () => {
    const logger = memoryLogger();
    const client = plainClient(sim).extend(floraRequestId({ logger }));
    const response = await client.get('models');
    const [sent] = answeredIds(sim);
    expect(sent).toMatch(/^req_/);
    expect((response as unknown as { requestId: string }).requestId).toBe(sent);
    expect((response as unknown as { requestIds: string[] }).requestIds).toEqual([sent]);
    expect(Object.keys(response)).not.toContain('requestId');
    expect(getRequestId(response)).toBe(sent);
    expect(getRequestIds(response)).toEqual([sent]);
    expect(logger.lines).toHaveLength(1);
    const [line] = logger.lines;
    expect(line?.level).toBe('debug');
    expect(line?.msg).toBe(LOG_MESSAGES.success);
    expect(line?.obj).toMatchObject({
      requestId: sent,
      requestIds: [sent],
      method: 'GET',
      operation: 'GET /models',
      status: 200,
      attempt: 1,
    });
    expect(line?.obj.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof line?.obj.durationMs).toBe('number');
  });

  it('without a logger or a sink (the lean path) still captures every id, on success and on failure', async () => {
    const client = plainClient(sim).extend(floraRequestId());
    const ok = await client.get('models');
    expect(getRequestIds(ok)).toEqual(answeredIds(sim));
    sim.resetStats();
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 3,
    });
    const error = await client.get('models').then(
      () => undefined,
      (e: unknown) => e,
    );
    const ids = answeredIds(sim);
    expect(ids).toHaveLength(3);
    expect(isFloraError(error) && error.requestIds).toEqual(ids);
    expect(isFloraError(error) && error.requestId).toBe(ids[2]);
  });

  it('fills a per-call sink for .json() callers, whose response is out of reach', async () => {
    const client = plainClient(sim).extend(floraRequestId());
    const sink: RequestIdSink = {};
    const body = await client
      .get('models', { context: { requestIdSink: sink } })
      .json<{ models: unknown[] }>();
    expect(Array.isArray(body.models)).toBe(true);
    expect(sink.requestId).toBe(answeredIds(sim)[0]);
    expect(sink.requestIds).toEqual(answeredIds(sim));
  });

  it('carries every attempt’s id, in order, on a response that succeeded after retries', async () => {
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 2,
    });
    const logger = memoryLogger();
    const client = plainClient(sim).extend(floraRequestId({ logger }));
    const response = await client.get('models');
    const sent = answeredIds(sim);
    expect(sent).toHaveLength(3);
    expect(getRequestIds(response)).toEqual(sent);
    expect(getRequestId(response)).toBe(sent[2]);
    expect(logger.lines.map((l) => [l.level, l.obj.attempt, l.obj.requestId])).toEqual([
      ['warn', 1, sent[0]],
      ['warn', 2, sent[1]],
      ['debug', 3, sent[2]],
    ]);
    expect(logger.lines[2]?.obj.requestIds).toEqual(sent);
  });
});

describe('a call retried twice, then failed', () => {
  const scenarios = [
    ['floraRequestId alone', () => plainClient(sim)],
    ['next to floraErrors()', () => plainClient(sim).extend(floraErrors())],
  ] as const;

  for (const [name, base] of scenarios) {
    it(`logs and throws exactly the server's ids, attempt by attempt (${name})`, async () => {
      sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models' });
      const logger = memoryLogger();
      const client = base().extend(floraRequestId({ logger, workspaceId: SIMULATOR_WORKSPACE_ID }));
      const error = await failure(client.get('models'));
      const sent = answeredIds(sim);
      expect(sent).toHaveLength(3);
      expect(isFloraApiError(error)).toBe(true);
      if (!isFloraError(error)) throw error;
      expect(error.requestIds).toEqual(sent);
      expect(error.requestId).toBe(sent[2]);
      expect(error.attempts).toBe(3);
      expect(error.workspaceId).toBe(SIMULATOR_WORKSPACE_ID);
      expect(getRequestIds(error)).toEqual(sent);

      expect(logger.lines.map((l) => [l.level, l.msg, l.obj.attempt, l.obj.requestId])).toEqual([
        ['warn', LOG_MESSAGES.retry, 1, sent[0]],
        ['warn', LOG_MESSAGES.retry, 2, sent[1]],
        ['error', LOG_MESSAGES.failure, 3, sent[2]],
      ]);
      expect(logger.lines.map((l) => l.obj.requestIds)).toEqual([sent.slice(0, 1), sent.slice(0, 2), sent]);
      for (const { obj } of logger.lines) {
        expect(obj).toMatchObject({
          method: 'GET',
          operation: 'GET /models',
          status: 500,
          code: 'internal_error',
          category: 'server',
          retryable: true,
          workspaceId: SIMULATOR_WORKSPACE_ID,
        });
        expect(typeof obj.message).toBe('string');
        expect(typeof obj.durationMs).toBe('number');
      }
    });
  }

  it('keeps ids straight when a reset (no response, no id) sits between two answered attempts', async () => {
    sim.faults.add({ kind: 'status', status: 502, code: 'bad_gateway', route: 'GET /models', count: 1 });
    sim.faults.add({ kind: 'reset', route: 'GET /models', count: 1 });
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models' });
    const logger = memoryLogger();
    const client = plainClient(sim).extend(floraRequestId({ logger }));
    const error = await failure(client.get('models'));
    const attempts = sim.stats().attempts;
    expect(attempts.map((a) => a.status)).toEqual([502, null, 500]);
    const answered = answeredIds(sim);
    if (!isFloraError(error)) throw error;
    expect(error.requestIds).toEqual(answered);
    expect(logger.lines.map((l) => [l.level, l.obj.attempt, l.obj.requestId, l.obj.code])).toEqual([
      ['warn', 1, answered[0], 'bad_gateway'],
      ['warn', 2, undefined, 'network_error'],
      ['error', 3, answered[1], 'internal_error'],
    ]);
  });

  it('never counts an attempt twice next to floraErrors (one record shared)', async () => {
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 1,
    });
    const client = got.extend(
      floraErrors(),
      {
        prefixUrl: sim.url,
        headers: { authorization: `Bearer ${'sk_test_flora_simulator'}` },
        retry: { limit: 2, calculateDelay: ({ computedValue }) => (computedValue > 0 ? 1 : 0) },
      },
      floraRequestId(),
      floraErrors(),
    );
    const response = await client.get('models');
    expect(getRequestIds(response)).toEqual(answeredIds(sim));
    expect(getRequestIds(response)).toHaveLength(2);
  });
});
