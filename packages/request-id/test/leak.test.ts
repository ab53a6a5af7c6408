import { inspect } from 'node:util';
import {
  CircuitOpenError,
  classifyRun,
  type FloraError,
  floraErrors,
  isFloraError,
  toSupportTicket,
} from '@flora-resilience/errors';
import { floraRequestId, formatSupportTicket } from '@flora-resilience/request-id';
import { SIMULATOR_API_KEY, type Simulator } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import type { Got } from 'got';
import { memoryLogger, plainClient, useSharedSimulator } from './helpers.js';

const LIVE_KEY = 'sk_live_9f8e7d6c5b4a3210LEAKCANARY';
const KEYS = [SIMULATOR_API_KEY, LIVE_KEY, 'LEAKCANARY', 'flora_simulator'];
/** A real credential after `Bearer`/`Basic` (the errors package's 401 hints show the placeholder `Bearer sk_live_…`). */
const CREDENTIAL = /(?:Bearer|Basic)\s+(?!sk_live_…)[A-Za-z0-9._~+/=-]+/i;
const ANY_KEY = /sk_(?:live|test)_[A-Za-z0-9]/;

let sim: Simulator;
useSharedSimulator((s) => {
  sim = s;
});

function expectClean(text: string, where: string, strictBearer: boolean): void {
  for (const key of KEYS) {
    if (text.includes(key)) throw new Error(`${where} leaks ${key}: ${text}`);
  }
  expect(ANY_KEY.test(text)).toBe(false);
  expect(CREDENTIAL.test(text)).toBe(false);
  // Log lines and tickets carry no hint text, so not even the word may appear there.
  if (strictBearer) expect(/bearer/i.test(text)).toBe(false);
}

function checkError(error: FloraError, logLines: string[]): void {
  expectClean(JSON.stringify(error), 'JSON.stringify(error)', false);
  expectClean(inspect(error, { depth: Number.POSITIVE_INFINITY }), 'util.inspect(error)', false);
  expectClean(String(error), 'String(error)', false);
  // The errors package keeps the scheme word before a redacted credential (`Bearer[REDACTED]`).
  expectClean(error.message, 'error.message', false);
  expectClean(toSupportTicket(error).text, 'toSupportTicket', false);
  expectClean(JSON.stringify(toSupportTicket(error)), 'toSupportTicket JSON', false);
  expectClean(formatSupportTicket(error), 'formatSupportTicket', true);
  for (const line of logLines) expectClean(line, 'log line', true);
}

type Family = [
  name: string,
  setup: () => void,
  call: (client: Got) => Promise<unknown>,
  expectedCode: string,
  // Always present (undefined for the simulator's key): Jest reads a missing last argument as `done`.
  apiKey: string | undefined,
];

const families: Family[] = [
  ['401 with a wrong live key', () => undefined, (c) => c.get('models'), 'invalid_api_key', LIVE_KEY],
  [
    '401 whose message echoes the key',
    () =>
      sim.faults.add({
        kind: 'status',
        status: 401,
        code: 'invalid_api_key',
        message: `Invalid API key ${LIVE_KEY} (Authorization: Bearer ${LIVE_KEY})`,
      }),
    (c) => c.get('models'),
    'invalid_api_key',
    LIVE_KEY,
  ],
  [
    '400 with fields',
    () => undefined,
    (c) => c.post('techniques/thumbnail-v3/runs', { json: { inputs: [] } }),
    'input_validation_error',
    undefined,
  ],
  [
    '429 with retry-after',
    () =>
      sim.faults.add({ kind: 'status', status: 429, code: 'rate_limited', headers: { 'retry-after': '1' } }),
    (c) => c.get('models'),
    'rate_limited',
    undefined,
  ],
  [
    '500 empty body',
    () => sim.faults.add({ kind: 'empty', status: 500 }),
    (c) => c.get('models'),
    'server_error',
    undefined,
  ],
  [
    'HTML 502',
    () => sim.faults.add({ kind: 'html', status: 502 }),
    (c) => c.get('models'),
    'bad_gateway',
    undefined,
  ],
  [
    'network reset',
    () => sim.faults.add({ kind: 'reset' }),
    (c) => c.get('models'),
    'network_error',
    undefined,
  ],
  [
    'attempt timeout',
    () => sim.faults.add({ kind: 'latency', ms: 2_000 }),
    (c) => c.get('models', { timeout: { request: 50 } }),
    'attempt_timeout',
    undefined,
  ],
  [
    'circuit open, thrown from a beforeRequest hook',
    () => undefined,
    (c) =>
      c.extend({
        hooks: {
          beforeRequest: [
            (options) => {
              throw new CircuitOpenError({
                code: 'circuit_open',
                message: `Circuit open for GET /models (last sent with Bearer ${options.headers.authorization})`,
                category: 'circuit_open',
                retryable: false,
                hint: 'Wait for the breaker to half-open.',
                key: 'GET /models',
              });
            },
          ],
        },
      })('models'),
    'circuit_open',
    undefined,
  ],
];

describe('no secret in any log line, error view or ticket, across every error family', () => {
  for (const withFloraErrors of [false, true]) {
    it.each(families)(
      `%s${withFloraErrors ? ' (with floraErrors)' : ''}`,
      async (_name, setup, call, expectedCode, apiKey) => {
        setup();
        const logger = memoryLogger();
        const base = plainClient(sim, 1, apiKey ?? SIMULATOR_API_KEY);
        const client = (withFloraErrors ? base.extend(floraErrors()) : base).extend(
          floraRequestId({ logger }),
        );
        const error = await call(client).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (!isFloraError(error)) throw new Error(`expected a FloraError, got ${String(error)}`);
        expect(error.code).toBe(expectedCode);
        expect(logger.lines.length).toBeGreaterThan(0);
        checkError(
          error,
          logger.lines.map((l) => `${l.msg} ${JSON.stringify(l.obj)}`),
        );
      },
    );
  }

  it('a run failure (classifyRun) whose message echoes the key', () => {
    const error = classifyRun({
      run_id: 'run_1',
      status: 'failed',
      error_code: 'GPU_PROVIDER_ERROR',
      error_message: `provider rejected Authorization: Bearer ${LIVE_KEY}`,
    });
    if (error === undefined) throw new Error('expected a run failure');
    checkError(error, []);
    expect(formatSupportTicket(error)).toContain('run-id=run_1');
  });
});
