import { Writable } from 'node:stream';
import { isFloraError } from '@flora-resilience/errors';
import { floraRequestId, LOG_MESSAGES } from '@flora-resilience/request-id';
import { SIMULATOR_WORKSPACE_ID, type Simulator } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { answeredIds, plainClient, useSharedSimulator } from './helpers.js';

let sim: Simulator;
useSharedSimulator((s) => {
  sim = s;
});

/** A real pino logger writing newline-delimited JSON into a buffer. */
function bufferedPino(options: pino.LoggerOptions = {}) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug', ...options }, stream);
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => ({ raw: l, json: JSON.parse(l) as Record<string, unknown> }));
  return { logger, lines };
}

describe('with real pino', () => {
  it('writes one JSON line per event, with the server’s request-ids attempt by attempt', async () => {
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      route: 'GET /models',
      count: 2,
    });
    const { logger, lines } = bufferedPino();
    const client = plainClient(sim).extend(floraRequestId({ logger, workspaceId: SIMULATOR_WORKSPACE_ID }));
    await client.get('models');
    sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', route: 'GET /models' });
    const error = await client.get('models').catch((e: unknown) => e);
    if (!isFloraError(error)) throw new Error('expected a FloraError');

    const sent = answeredIds(sim);
    expect(sent).toHaveLength(6);
    const out = lines().map((l) => l.json);
    expect(out.map((l) => [l.level, l.msg, l.requestId, l.attempt])).toEqual([
      [40, LOG_MESSAGES.retry, sent[0], 1],
      [40, LOG_MESSAGES.retry, sent[1], 2],
      [20, LOG_MESSAGES.success, sent[2], 3],
      [40, LOG_MESSAGES.retry, sent[3], 1],
      [40, LOG_MESSAGES.retry, sent[4], 2],
      [50, LOG_MESSAGES.failure, sent[5], 3],
    ]);
    expect(out[2]?.requestIds).toEqual(sent.slice(0, 3));
    expect(out[5]?.requestIds).toEqual(sent.slice(3));
    expect(error.requestIds).toEqual(sent.slice(3));
    for (const line of out) {
      expect(line).toMatchObject({
        method: 'GET',
        operation: 'GET /models',
        workspaceId: SIMULATOR_WORKSPACE_ID,
      });
      expect(typeof line.durationMs).toBe('number');
    }
    expect(out[5]).toMatchObject({
      status: 500,
      code: 'internal_error',
      category: 'server',
      retryable: true,
    });
  });

  it('timeKey: false leaves the timestamp to pino (no duplicate "time" key in the JSON)', async () => {
    const { logger, lines } = bufferedPino({ timestamp: pino.stdTimeFunctions.isoTime });
    await plainClient(sim)
      .extend(floraRequestId({ logger, timeKey: false }))
      .get('models');
    const [line] = lines();
    expect(line?.raw.match(/"time":/g)).toHaveLength(1);
    expect(line?.json.time).toMatch(/Z$/);
  });

  it('by default writes its own ISO UTC "time" (pino’s epoch one comes first; JSON.parse keeps ours)', async () => {
    const { logger, lines } = bufferedPino();
    await plainClient(sim).extend(floraRequestId({ logger })).get('models');
    const [line] = lines();
    expect(line?.json.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
