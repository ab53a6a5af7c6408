import { classifyAttemptOutcome } from '@flora-resilience/circuit-breaker';
import {
  CircuitOpenError,
  FLORA_ERROR_CATEGORIES,
  FloraAbortError,
  FloraDeadlineError,
  FloraError,
  FloraNetworkError,
  FloraTimeoutError,
  toFloraError,
} from '@flora-resilience/errors';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const base = { message: 'x', hint: 'h' };

describe('classifyAttemptOutcome: statuses', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [204, 'success'],
    [304, 'success'],
    [400, 'neutral'],
    [401, 'neutral'],
    [402, 'neutral'],
    [403, 'neutral'],
    [404, 'neutral'],
    [408, 'neutral'],
    [409, 'neutral'],
    [413, 'neutral'],
    [422, 'neutral'],
    [429, 'neutral'],
    [500, 'failure'],
    [501, 'neutral'],
    [502, 'failure'],
    [503, 'failure'],
    [504, 'failure'],
    [599, 'failure'],
    [0, 'neutral'],
    [600, 'neutral'],
    [200.5, 'neutral'],
  ])('status %p → %s', (status, expected) => {
    expect(classifyAttemptOutcome({ status })).toBe(expected);
  });

  it('every 4xx is neutral and every 5xx but 501 is a failure, every 1xx–3xx a success', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), (status) => {
        const expected = status < 400 ? 'success' : status < 500 || status === 501 ? 'neutral' : 'failure';
        expect(classifyAttemptOutcome({ status })).toBe(expected);
      }),
    );
  });
});

describe('classifyAttemptOutcome: errors', () => {
  it('a FloraError from an HTTP response is judged by its status (whatever FLORA code it carries)', () => {
    const e503 = toFloraError({
      status: 503,
      headers: {},
      body: '{"error":{"code":"service_unavailable","message":"m"}}',
    });
    const e500 = toFloraError({ status: 500, headers: {}, body: '' });
    const e400 = toFloraError({
      status: 400,
      headers: {},
      body: '{"error":{"code":"input_validation_error","message":"m"}}',
    });
    const e429 = toFloraError({ status: 429, headers: { 'retry-after': '2' }, body: '' });
    const e409 = toFloraError({
      status: 409,
      headers: {},
      body: '{"error":{"code":"idempotency_duplicate","message":"m"}}',
    });
    expect([e503, e500, e400, e429, e409].map((error) => classifyAttemptOutcome({ error }))).toEqual([
      'failure',
      'failure',
      'neutral',
      'neutral',
      'neutral',
    ]);
  });

  it('network errors and attempt timeouts are failures; aborts, deadlines and open circuits are neutral', () => {
    const network = new FloraNetworkError({
      ...base,
      code: 'network_error',
      category: 'network',
      retryable: true,
    });
    const timeout = new FloraTimeoutError({
      ...base,
      code: 'attempt_timeout',
      category: 'timeout',
      retryable: true,
    });
    const abort = new FloraAbortError({ ...base, code: 'aborted', category: 'aborted', retryable: false });
    const deadline = new FloraDeadlineError({
      ...base,
      code: 'deadline_exceeded',
      category: 'deadline',
      retryable: false,
    });
    const open = new CircuitOpenError({
      ...base,
      code: 'circuit_open',
      category: 'circuit_open',
      retryable: false,
      key: 'k',
    });
    const unknown = new FloraNetworkError({
      ...base,
      code: 'network_error',
      category: 'unknown',
      retryable: false,
    });
    expect(
      [network, timeout, abort, deadline, open, unknown].map((error) => classifyAttemptOutcome({ error })),
    ).toEqual(['failure', 'failure', 'neutral', 'neutral', 'neutral', 'neutral']);
  });

  it('only network and timeout categories fail without a status, for every category', () => {
    for (const category of FLORA_ERROR_CATEGORIES) {
      const error = new FloraError({ ...base, code: 'c', category, retryable: true });
      const expected = category === 'network' || category === 'timeout' ? 'failure' : 'neutral';
      expect([category, classifyAttemptOutcome({ error })]).toEqual([category, expected]);
    }
  });

  it.each([
    [Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'failure'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'failure'],
    [Object.assign(new Error('dns'), { code: 'EAI_AGAIN' }), 'failure'],
    [Object.assign(new Error('parse'), { code: 'HPE_INVALID_CONSTANT' }), 'failure'],
    [
      Object.assign(new Error("Timeout awaiting 'request' for 50ms"), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      }),
      'failure',
    ],
    [Object.assign(new Error('read'), { name: 'ReadError' }), 'failure'],
    [Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ERR_ABORTED' }), 'neutral'],
    [Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }), 'neutral'],
    [Object.assign(new Error('cancel'), { name: 'CancelError' }), 'neutral'],
    [Object.assign(new Error('bad header'), { code: 'ERR_INVALID_CHAR' }), 'neutral'],
    [Object.assign(new Error('http'), { name: 'HTTPError', response: { statusCode: 502 } }), 'failure'],
    [Object.assign(new Error('http'), { name: 'HTTPError', response: { statusCode: 404 } }), 'neutral'],
    [new TypeError('a bug in a hook'), 'neutral'],
    ['a string', 'neutral'],
    [null, 'neutral'],
    [undefined, 'neutral'],
  ])('%p → %s', (error, expected) => {
    expect(classifyAttemptOutcome({ error })).toBe(expected);
  });

  it('never throws and always answers one of the three verdicts, whatever is thrown', () => {
    fc.assert(
      fc.property(fc.anything(), (error) => {
        expect(['success', 'failure', 'neutral']).toContain(classifyAttemptOutcome({ error }));
      }),
    );
  });
});
