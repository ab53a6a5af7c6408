import { floraErrors, fromGotError, isFloraError } from '@flora-resilience/errors';
import {
  floraRequestId,
  getRequestId,
  getRequestIds,
  LOG_MESSAGES,
  type RequestIdLogger,
  type RequestIdSink,
} from '@flora-resilience/request-id';
import { SIMULATOR_API_KEY, type Simulator } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import got, { type Got } from 'got';
import { answeredIds, memoryLogger, useSharedSimulator } from './helpers.js';

let sim: Simulator;
useSharedSimulator((s) => {
  sim = s;
});

type Stream = ReturnType<Got['stream']>;
type Response = {
  statusCode: number;
  headers: Record<string, unknown>;
  requestId?: string;
  requestIds?: string[];
};

/** A got instance on the simulator, the way an app wires it: floraErrors, then floraRequestId. */
function streamClient(requestId: ReturnType<typeof floraRequestId>, retryLimit = 0): Got {
  return got.extend(
    {
      prefixUrl: sim.url,
      headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
      retry: { limit: retryLimit, calculateDelay: ({ computedValue }) => (computedValue ? 1 : 0) },
    },
    floraErrors(),
    requestId,
  );
}

const withLogger = (logger: RequestIdLogger, retryLimit = 0): Got =>
  streamClient(floraRequestId({ logger }), retryLimit);

/**
 * Reads a stream to its end, following got's stream retries (`'retry'` → `createRetryStream()`).
 * Resolves with every `'response'` seen and the body; rejects with the stream's error.
 */
function consume(first: Stream): Promise<{ responses: Response[]; body: string; last: Stream }> {
  const responses: Response[] = [];
  return new Promise((resolve, reject) => {
    const follow = (stream: Stream): void => {
      let body = '';
      stream.on('response', (response: Response) => responses.push(response));
      stream.on('retry', (_count: number, _error: unknown, createRetryStream: () => Stream) => {
        follow(createRetryStream());
      });
      stream.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      stream.on('end', () => resolve({ responses, body, last: stream }));
      stream.on('error', reject);
    };
    follow(first);
  });
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

/** The next `count` calls of `GET /models` answer 503 `service_unavailable`. */
const failModels = (count = 1): void => {
  sim.faults.add({ kind: 'status', status: 503, code: 'service_unavailable', count, route: 'GET /models' });
};

describe('got.stream: success', () => {
  it("puts the request-id on the 'response' event's response, behind getRequestId too", async () => {
    const logger = memoryLogger();
    const { responses, body } = await consume(withLogger(logger).stream('models'));
    const [sent] = answeredIds(sim);
    expect(sent).toMatch(/^req_/);
    expect(JSON.parse(body)).toBeTruthy();
    expect(responses).toHaveLength(1);
    const [response] = responses;
    expect(response?.headers['request-id']).toBe(sent);
    expect(response?.requestId).toBe(sent);
    expect(response?.requestIds).toEqual([sent]);
    expect(Object.keys(response ?? {})).not.toContain('requestId');
    expect(getRequestId(response)).toBe(sent);
    expect(getRequestIds(response)).toEqual([sent]);
  });

  it('fills context.requestIdSink', async () => {
    const sink: RequestIdSink = {};
    const stream = withLogger(memoryLogger()).stream('models', { context: { requestIdSink: sink } });
    let atResponse: RequestIdSink | undefined;
    stream.once('response', () => {
      atResponse = { ...sink };
    });
    await consume(stream);
    const [sent] = answeredIds(sim);
    expect(atResponse).toEqual({ requestId: sent, requestIds: [sent] });
    expect(sink).toEqual({ requestId: sent, requestIds: [sent] });
  });

  it('writes exactly one success line (debug) once the body is fully read, and nothing more on close', async () => {
    const logger = memoryLogger();
    const stream = withLogger(logger).stream('models');
    let linesAtResponse = -1;
    stream.once('response', () => {
      linesAtResponse = logger.lines.length;
    });
    const { last } = await consume(stream);
    last.destroy();
    await settle();
    const [sent] = answeredIds(sim);
    expect(linesAtResponse).toBe(0);
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
    expect(typeof line?.obj.durationMs).toBe('number');
  });
});

describe('got.stream: failure', () => {
  it('an HTTP 503 writes exactly one failure line with the request-id; the error carries the ids', async () => {
    failModels();
    const logger = memoryLogger();
    const sink: RequestIdSink = {};
    const error = await consume(
      withLogger(logger).stream('models', { context: { requestIdSink: sink } }),
    ).then(
      () => {
        throw new Error('expected the stream to fail');
      },
      (e: unknown) => e,
    );
    await settle();
    const [sent] = answeredIds(sim);
    expect(sent).toMatch(/^req_/);
    expect(isFloraError(error)).toBe(true);
    const floraError = fromGotError(error);
    expect(floraError.status).toBe(503);
    expect(floraError.requestId).toBe(sent);
    expect(floraError.requestIds).toEqual([sent]);
    expect(getRequestIds(error)).toEqual([sent]);
    expect(sink).toEqual({ requestId: sent, requestIds: [sent] });
    expect(logger.lines).toHaveLength(1);
    const [line] = logger.lines;
    expect(line?.level).toBe('error');
    expect(line?.msg).toBe(LOG_MESSAGES.failure);
    expect(line?.obj).toMatchObject({
      requestId: sent,
      requestIds: [sent],
      status: 503,
      code: 'service_unavailable',
      attempt: 1,
    });
  });

  it('a stream the caller destroys after the response writes no success line but one aborted failure line', async () => {
    const logger = memoryLogger();
    const stream = withLogger(logger).stream('models');
    const response = await new Promise<Response>((resolve) => stream.once('response', resolve));
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));
    await settle();
    const [sent] = answeredIds(sim);
    expect(response.requestId).toBe(sent);
    expect(logger.lines.filter((l) => l.msg === LOG_MESSAGES.success)).toEqual([]);
    expect(logger.lines).toHaveLength(1);
    const [line] = logger.lines;
    expect(line?.level).toBe('error');
    expect(line?.msg).toBe(LOG_MESSAGES.failure);
    expect(line?.obj).toMatchObject({
      requestId: sent,
      requestIds: [sent],
      code: 'aborted',
      category: 'aborted',
      retryable: false,
    });
  });

  it('a stream destroyed with an error logs that error once (no aborted line on top)', async () => {
    const logger = memoryLogger();
    const stream = withLogger(logger).stream('models');
    await new Promise((resolve) => stream.once('response', resolve));
    const errors: unknown[] = [];
    stream.on('error', (e) => errors.push(e));
    stream.destroy(new Error('consumer gave up'));
    await new Promise((resolve) => stream.once('close', resolve));
    await settle();
    expect(errors).toHaveLength(1);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.level).toBe('error');
    expect(logger.lines[0]?.obj.requestId).toBe(answeredIds(sim)[0]);
  });
});

describe('got.stream: retries', () => {
  it('carries the ids of both attempts, in order, into requestIds, the sink and the lines', async () => {
    failModels();
    const logger = memoryLogger();
    const sink: RequestIdSink = {};
    const { responses } = await consume(
      withLogger(logger, 1).stream('models', { context: { requestIdSink: sink } }),
    );
    await settle();
    const ids = answeredIds(sim);
    expect(ids).toHaveLength(2);
    // got emits no 'response' for the 503 it retries: only the final one is seen.
    expect(responses).toHaveLength(1);
    const [response] = responses;
    expect(response?.requestId).toBe(ids[1]);
    expect(response?.requestIds).toEqual(ids);
    expect(getRequestIds(response)).toEqual(ids);
    expect(sink).toEqual({ requestId: ids[1], requestIds: ids });
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', LOG_MESSAGES.retry],
      ['debug', LOG_MESSAGES.success],
    ]);
    expect(logger.lines[0]?.obj).toMatchObject({ requestId: ids[0], status: 503, attempt: 1 });
    expect(logger.lines[1]?.obj).toMatchObject({
      requestId: ids[1],
      requestIds: ids,
      attempt: 2,
      status: 200,
    });
  });

  it('a retried stream that fails again logs one retry line and one failure line with both ids', async () => {
    failModels(2);
    const logger = memoryLogger();
    const error = await consume(withLogger(logger, 1).stream('models')).then(
      () => undefined,
      (e: unknown) => e,
    );
    await settle();
    const ids = answeredIds(sim);
    expect(ids).toHaveLength(2);
    expect(getRequestIds(error)).toEqual(ids);
    expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'error']);
    expect(logger.lines[1]?.obj).toMatchObject({ requestId: ids[1], requestIds: ids, attempt: 2 });
  });
});

describe('got.stream: lean path (no logger, no sink)', () => {
  it('still sets response.requestId / requestIds, also across a retry', async () => {
    const lean = streamClient(floraRequestId(), 1);
    const first = await consume(lean.stream('models'));
    const [sent] = answeredIds(sim);
    expect(first.responses[0]?.requestId).toBe(sent);
    expect(getRequestId(first.responses[0])).toBe(sent);
    sim.resetStats();
    failModels();
    const retried = await consume(lean.stream('models'));
    const ids = answeredIds(sim);
    expect(ids).toHaveLength(2);
    expect(retried.responses[0]?.requestId).toBe(ids[1]);
    expect(retried.responses[0]?.requestIds).toEqual(ids);
  });
});
