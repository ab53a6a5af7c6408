import { inspect } from 'node:util';
import { FloraApiError, FloraNetworkError, toFloraError } from '@flora-resilience/errors';
import {
  DEFAULT_LEVELS,
  floraRequestId,
  formatSupportTicket,
  getRequestId,
  getRequestIds,
  LOG_MESSAGES,
  resolveRequestIdOptions,
  toLogFields,
} from '@flora-resilience/request-id';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import got from 'got';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0, 123);

describe('toLogFields', () => {
  it.each([
    [
      'retry line',
      {
        kind: 'retry' as const,
        requestId: 'req_2',
        requestIds: ['req_1', 'req_2'],
        method: 'post',
        url: 'https://app.flora.ai/api/v1/techniques/thumbnail-v3/runs?x=sk_live_abc',
        status: 429,
        code: 'rate_limited',
        message: 'Rate limit exceeded.',
        attempt: 2,
        delayMs: 1500.4,
        durationMs: 12.6,
        workspaceId: 'ws_1',
        category: 'rate_limited',
        retryable: true,
        giveUpReason: 'ignored on retry lines',
      },
      {
        requestId: 'req_2',
        requestIds: ['req_1', 'req_2'],
        method: 'POST',
        operation: 'POST /techniques/thumbnail-v3/runs',
        status: 429,
        code: 'rate_limited',
        message: 'Rate limit exceeded.',
        attempt: 2,
        delayMs: 1500,
        durationMs: 13,
        time: '2026-11-25T12:00:00.123Z',
        workspaceId: 'ws_1',
        category: 'rate_limited',
        retryable: true,
      },
    ],
    [
      'failure line with no response at all',
      {
        kind: 'failure' as const,
        method: 'GET',
        operation: 'GET /runs/:id',
        code: 'network_error',
        attempt: 3,
        delayMs: 99,
        durationMs: 3000,
        category: 'network',
        retryable: true,
        giveUpReason: 'attempts_exhausted',
      },
      {
        requestIds: [],
        method: 'GET',
        operation: 'GET /runs/:id',
        code: 'network_error',
        attempt: 3,
        durationMs: 3000,
        time: '2026-11-25T12:00:00.123Z',
        category: 'network',
        retryable: true,
        giveUpReason: 'attempts_exhausted',
      },
    ],
    [
      'success line drops failure-only fields',
      {
        kind: 'success' as const,
        requestId: 'req_1',
        requestIds: ['req_1'],
        method: 'GET',
        url: 'http://127.0.0.1:1/api/v1/runs/run_abc',
        status: 200,
        attempt: 0,
        durationMs: -5,
        category: 'server',
        retryable: false,
      },
      {
        requestId: 'req_1',
        requestIds: ['req_1'],
        method: 'GET',
        operation: 'GET /runs/:id',
        status: 200,
        attempt: 1,
        durationMs: 0,
        time: '2026-11-25T12:00:00.123Z',
      },
    ],
  ])('%s', (_name, input, expected) => {
    const fields = toLogFields(input, NOW);
    expect(fields).toEqual(expected);
    expect(Object.keys(fields)).toEqual(Object.keys(expected));
  });

  it('names the timestamp as told, or leaves it out', () => {
    expect(toLogFields({ kind: 'success', attempt: 1 }, NOW, 'at')).toMatchObject({
      at: '2026-11-25T12:00:00.123Z',
    });
    expect(toLogFields({ kind: 'success', attempt: 1 }, NOW, false)).not.toHaveProperty('time');
  });

  it('never lets a key or a credential through, whatever the strings (property)', () => {
    const secret = fc
      .tuple(
        fc.constantFrom('sk_live_', 'sk_test_', 'Bearer ', 'bearer sk_live_', 'Basic '),
        fc.stringMatching(/^[A-Za-z0-9]{6,30}$/),
      )
      .map(([p, s]) => `${p}${s}`);
    const noisy = fc.tuple(fc.string(), secret, fc.string()).map(([a, s, b]) => `${a} ${s} ${b}`);
    fc.assert(
      fc.property(noisy, noisy, noisy, noisy, (message, code, requestId, workspaceId) => {
        const fields = toLogFields(
          {
            kind: 'failure',
            message,
            code,
            requestId,
            requestIds: [requestId],
            workspaceId,
            giveUpReason: message,
            operation: code,
            method: 'GET',
            attempt: 1,
          },
          NOW,
        );
        const text = JSON.stringify(fields);
        expect(text).not.toMatch(/sk_(?:live|test)_[A-Za-z0-9]/);
        expect(text).not.toMatch(/bearer|basic\s+[A-Za-z0-9]/i);
      }),
    );
  });

  it('bounds every string', () => {
    const fields = toLogFields({ kind: 'failure', message: 'x'.repeat(10_000), attempt: 1 }, NOW);
    expect(String(fields.message).length).toBeLessThanOrEqual(513);
  });
});

describe('resolveRequestIdOptions', () => {
  it('applies the documented defaults', () => {
    const o = resolveRequestIdOptions();
    expect(o.levels).toEqual({ retry: 'warn', failure: 'error', success: 'debug' });
    expect(DEFAULT_LEVELS).toEqual(o.levels);
    expect(o.logger).toBeUndefined();
    expect(o.timeKey).toBe('time');
    expect(typeof o.clock()).toBe('number');
  });

  it('copies and never mutates the options', () => {
    const levels = Object.freeze({ success: false as const });
    const options = Object.freeze({ levels });
    const o = resolveRequestIdOptions(options);
    expect(o.levels).toEqual({ retry: 'warn', failure: 'error', success: false });
    expect(levels).toEqual({ success: false });
  });

  it.each([
    [null, TypeError, 'floraRequestId: options must be an object, got null'],
    [{ loger: {} }, TypeError, 'floraRequestId: unknown option "loger"'],
    [{ levels: 'warn' }, TypeError, 'floraRequestId: options.levels must be an object, got "warn"'],
    [{ levels: { retries: 'warn' } }, TypeError, 'floraRequestId: unknown key options.levels.retries'],
    [
      { levels: { retry: 'warning' } },
      RangeError,
      'floraRequestId: options.levels.retry must be one of fatal, error, warn, info, debug, trace or false, got "warning"',
    ],
    [
      { logger: 'pino' },
      TypeError,
      'floraRequestId: options.logger must be a pino-compatible logger object, got "pino"',
    ],
    [
      { logger: { warn() {}, error() {} } },
      TypeError,
      'floraRequestId: options.logger.debug must be a function (options.levels.success is "debug"), got undefined',
    ],
    [
      { workspaceId: '' },
      TypeError,
      'floraRequestId: options.workspaceId must be a non-empty string, got ""',
    ],
    [
      { retryEvents: {} },
      TypeError,
      'floraRequestId: options.retryEvents must be an object with an onRetry(listener) method',
    ],
    [
      { retryEvents: { onRetry() {}, onGiveUp: 1 } },
      TypeError,
      'floraRequestId: options.retryEvents.onGiveUp must be a function when present, got 1',
    ],
    [
      { timeKey: '' },
      TypeError,
      'floraRequestId: options.timeKey must be a non-empty string or false, got ""',
    ],
    [{ clock: 5 }, TypeError, 'floraRequestId: options.clock must be a function returning epoch ms, got 5'],
  ])('rejects %j', (options, type, message) => {
    expect(() => resolveRequestIdOptions(options as never)).toThrow(type);
    expect(() => floraRequestId(options as never)).toThrow(message);
  });

  it('returns something got.extend accepts, dispose included (non-enumerable)', () => {
    const plugin = floraRequestId();
    expect(Object.keys(plugin)).toEqual(['handlers', 'hooks']);
    expect(() => got.extend(plugin)).not.toThrow();
  });
});

describe('formatSupportTicket', () => {
  const error = toFloraError({
    status: 429,
    headers: { 'request-id': 'req_3' },
    body: '{"error":{"code":"rate_limited","message":"Rate limit exceeded for \\"ws\\".\\nTry later."}}',
    method: 'post',
    url: 'https://app.flora.ai/api/v1/techniques/x/runs?key=sk_live_zzz',
    requestIds: ['req_1', 'req_2'],
    now: NOW,
  });

  it('is one line with everything support asks for', () => {
    expect(formatSupportTicket(error, { workspaceId: 'ws_9' })).toBe(
      'FLORA support: request-id=req_3 earlier-request-ids=req_1,req_2 endpoint="POST https://app.flora.ai/api/v1/techniques/x/runs" code=rate_limited status=429 message="Rate limit exceeded for \\"ws\\". Try later." time=2026-11-25T12:00:00.123Z workspace=ws_9',
    );
  });

  it('says what is missing rather than leaving holes', () => {
    const bare = new FloraNetworkError({
      code: 'network_error',
      message: 'No response from FLORA (ECONNREFUSED)',
      category: 'network',
      retryable: true,
      hint: '',
      time: new Date(NOW),
    });
    expect(formatSupportTicket(bare)).toBe(
      'FLORA support: request-id=none endpoint="? ?" code=network_error status=none message="No response from FLORA (ECONNREFUSED)" time=2026-11-25T12:00:00.123Z workspace=unknown',
    );
  });

  it('stays one secret-free line whatever the message (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Za-z0-9]{4,20}$/), (noise, key) => {
        const e = new FloraApiError({
          code: 'unauthorized',
          message: `${noise}\nBearer sk_live_${key} ${noise}`,
          category: 'authentication',
          retryable: false,
          hint: '',
          status: 401,
        });
        const line = formatSupportTicket(e);
        expect(line).not.toMatch(/[\r\n]/);
        expect(line).not.toContain(`sk_live_${key}`);
        expect(line).not.toMatch(/bearer/i);
      }),
    );
  });

  it('rejects what is not a FloraError, and a bad workspaceId', () => {
    expect(() => formatSupportTicket(new Error('x') as never)).toThrow(TypeError);
    expect(() => formatSupportTicket(error, { workspaceId: 7 as never })).toThrow(
      'formatSupportTicket: options.workspaceId must be a non-empty string, got 7',
    );
  });
});

describe('getRequestId / getRequestIds on plain sources', () => {
  it.each([
    [
      'a FloraError',
      toFloraError({ status: 500, headers: { 'request-id': 'req_b' }, requestIds: ['req_a'] }),
      ['req_a', 'req_b'],
      'req_b',
    ],
    ['a sink', { requestId: 'req_2', requestIds: ['req_1', 'req_2'] }, ['req_1', 'req_2'], 'req_2'],
    ['a response-like object with the header', { headers: { 'Request-Id': 'req_h' } }, ['req_h'], 'req_h'],
    ['an error with a response', { response: { headers: { 'request-id': 'req_r' } } }, ['req_r'], 'req_r'],
    ['nothing', undefined, [], undefined],
    ['a string', 'req_1', [], undefined],
    ['a hostile header', { headers: { 'request-id': 'a b\nc' } }, [], undefined],
  ])('%s', (_name, source, ids, id) => {
    expect(getRequestIds(source)).toEqual(ids);
    expect(getRequestId(source)).toEqual(id);
  });

  it('never throws on a hostile object', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(getRequestIds(hostile)).toEqual([]);
    expect(getRequestId(hostile)).toBeUndefined();
    expect(inspect(LOG_MESSAGES)).toContain('retrying');
  });
});
