import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import {
  CircuitOpenError,
  FloraAbortError,
  FloraApiError,
  FloraDeadlineError,
  FloraError,
  FloraNetworkError,
  FloraRunFailedError,
  FloraTimeoutError,
  isCircuitOpenError,
  isFloraAbortError,
  isFloraApiError,
  isFloraDeadlineError,
  isFloraError,
  isFloraNetworkError,
  isFloraRunFailedError,
  isFloraTimeoutError,
  redactSecrets,
  toFloraError,
} from '@flora-resilience/errors';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';

const base = { code: 'c', message: 'm', category: 'unknown', retryable: false, hint: 'h' } as const;

const classes = [
  ['FloraError', () => new FloraError(base), isFloraError, 'FloraError'],
  ['FloraApiError', () => new FloraApiError({ ...base, status: 500 }), isFloraApiError, 'FloraApiError'],
  [
    'FloraNetworkError',
    () => new FloraNetworkError({ ...base, systemCode: 'ECONNRESET' }),
    isFloraNetworkError,
    'FloraNetworkError',
  ],
  [
    'FloraTimeoutError',
    () => new FloraTimeoutError({ ...base, timeoutMs: 5 }),
    isFloraTimeoutError,
    'FloraTimeoutError',
  ],
  [
    'FloraDeadlineError',
    () => new FloraDeadlineError({ ...base, deadlineMs: 5 }),
    isFloraDeadlineError,
    'FloraDeadlineError',
  ],
  ['FloraAbortError', () => new FloraAbortError(base), isFloraAbortError, 'FloraAbortError'],
  [
    'CircuitOpenError',
    () => new CircuitOpenError({ ...base, key: 'GET /runs/:id' }),
    isCircuitOpenError,
    'CircuitOpenError',
  ],
  [
    'FloraRunFailedError',
    () => new FloraRunFailedError({ ...base, recovery: 'retry_now', moderated: false, runId: 'run_1' }),
    isFloraRunFailedError,
    'FloraRunFailedError',
  ],
] as const;

const guards = classes.map((c) => c[2]);

describe('error classes', () => {
  it.each(classes)(
    '%s has its own name, is an Error and a FloraError, and only its own guard (plus isFloraError) accepts it',
    (_, make, guard, name) => {
      const e = make();
      expect(e.name).toBe(name);
      expect(e).toBeInstanceOf(Error);
      expect(isFloraError(e)).toBe(true);
      expect(guard(e)).toBe(true);
      const accepted = guards.filter((g) => g(e)).length;
      expect(accepted).toBe(name === 'FloraError' ? 1 : 2);
      expect(String(e)).toBe(`${name}: m`);
      expect(e.stack).toContain(`${name}: m`);
    },
  );

  it('guards reject look-alikes and junk', () => {
    for (const value of [
      undefined,
      null,
      0,
      'FloraError',
      new Error('x'),
      { name: 'FloraApiError', status: 500 },
      Object.create(null),
    ]) {
      for (const guard of guards) expect(guard(value)).toBe(false);
    }
  });

  it('brands work across a duplicate install (no instanceof): a foreign object carrying the Symbol.for brands passes', () => {
    // What a second copy of this package would produce: a different class, the same registered symbols.
    class ForeignError extends Error {}
    const foreign = new ForeignError('from another copy');
    Object.defineProperty(foreign, Symbol.for('@flora-resilience/errors.FloraError'), { value: true });
    Object.defineProperty(foreign, Symbol.for('@flora-resilience/errors.FloraApiError'), { value: true });
    expect(foreign instanceof FloraError).toBe(false);
    expect(isFloraError(foreign)).toBe(true);
    expect(isFloraApiError(foreign)).toBe(true);
    expect(isCircuitOpenError(foreign)).toBe(false);
    // A brand set to something other than `true` does not count.
    const fake = { [Symbol.for('@flora-resilience/errors.FloraError')]: 'yes' };
    expect(isFloraError(fake)).toBe(false);
  });

  it('the brand is non-enumerable (does not show in JSON, spread or keys)', () => {
    const e = new FloraApiError({ ...base, status: 500 });
    expect(Object.getOwnPropertySymbols({ ...e })).toEqual([]);
  });

  it('fills defaults: attempts 1, empty fields, requestId from requestIds, a time, upper-case method', () => {
    const e = new FloraError({ ...base, requestIds: ['req_1', 'req_2'], method: 'post' });
    expect(e.attempts).toBe(1);
    expect(e.fields).toEqual([]);
    expect(e.requestId).toBe('req_2');
    expect(e.method).toBe('POST');
    expect(e.time).toBeInstanceOf(Date);
    expect(e.giveUpReason).toBeUndefined();
    expect(new FloraError({ ...base, time: new Date(Number.NaN) }).time.getTime()).not.toBeNaN();
  });

  it('keeps cause, non-enumerable', () => {
    const cause = new Error('got error');
    const e = new FloraError({ ...base, cause });
    expect(e.cause).toBe(cause);
    expect(Object.keys(e)).not.toContain('cause');
    expect(Object.getOwnPropertyDescriptor(e, 'cause')?.enumerable).toBe(false);
    expect('cause' in new FloraError(base) && new FloraError(base).cause).toBe(false);
  });

  it('subclass extras appear in toJSON', () => {
    expect(new CircuitOpenError({ ...base, key: 'GET /runs/:id' }).toJSON()).toMatchObject({
      key: 'GET /runs/:id',
      name: 'CircuitOpenError',
    });
    expect(new FloraNetworkError({ ...base, systemCode: 'ECONNRESET' }).toJSON()).toMatchObject({
      systemCode: 'ECONNRESET',
    });
    expect(
      new FloraRunFailedError({ ...base, recovery: 'retry_now', moderated: true, runId: 'run_1' }).toJSON(),
    ).toMatchObject({
      runId: 'run_1',
      recovery: 'retry_now',
      moderated: true,
    });
    expect(new FloraTimeoutError({ ...base, timeoutMs: 5, phase: 'request' }).toJSON()).toMatchObject({
      timeoutMs: 5,
      phase: 'request',
    });
    expect(new FloraDeadlineError({ ...base, deadlineMs: 9 }).toJSON()).toMatchObject({ deadlineMs: 9 });
    expect(
      toFloraError({ status: 500, body: '{"error":{"code":"unknown_error","message":"x"}}' }).toJSON(),
    ).toMatchObject({ maxAttempts: 2 });
  });
});

describe('secrets never leak', () => {
  const KEY = 'sk_live_AbC123SECRET';
  const gotLikeCause = Object.assign(new Error(`Request failed (authorization: Bearer ${KEY})`), {
    name: 'HTTPError',
    code: 'ERR_NON_2XX_3XX_RESPONSE',
    options: {
      headers: { authorization: `Bearer ${KEY}` },
      url: `https://app.flora.ai/api/v1/x?api_key=${KEY}`,
    },
  });

  const leaky = () => {
    const e = toFloraError({
      status: 401,
      headers: { 'request-id': 'req_1' },
      body: JSON.stringify({
        error: {
          code: `${KEY}`,
          message: `Invalid API key ${KEY} (Bearer ${KEY}); webhook whsec_ZZZSECRET`,
          fields: [{ field: `key=${KEY}`, message: `token_${KEY}` }],
        },
      }),
      method: 'get',
      url: `https://user:pass@app.flora.ai/api/v1/runs/run_1?api_key=${KEY}&x=1`,
      cause: gotLikeCause,
    });
    e.giveUpReason = `because ${KEY}`;
    e.workspaceId = `ws_${KEY}`;
    return e;
  };

  it('message, fields, code, url, cause summary and the mutable fields are redacted in JSON', () => {
    const e = leaky();
    const json = JSON.stringify(e);
    expect(json).not.toContain('SECRET');
    expect(json).not.toContain('user:pass');
    expect(json).not.toContain('api_key');
    expect(e.message).not.toContain('SECRET');
    expect(e.message).toContain('sk_live_[REDACTED]');
    expect(e.message).toContain('Bearer [REDACTED]');
    expect(e.url).toBe('https://app.flora.ai/api/v1/runs/run_1');
    expect(JSON.parse(json).cause).toEqual({
      name: 'HTTPError',
      code: 'ERR_NON_2XX_3XX_RESPONSE',
      message: 'Request failed (authorization: Bearer [REDACTED])',
    });
    // The 401 still classifies by status even though the "code" was a key.
    expect(e.category).toBe('authentication');
  });

  it('util.inspect (what console.log prints) shows the safe view, never the cause’s options', () => {
    const text = inspect(leaky(), { depth: 20, showHidden: false });
    expect(text).not.toContain('SECRET');
    expect(text).toContain('FloraApiError');
    expect(text).toContain('req_1');
  });

  it('pino’s error serializer logs it without the key', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const logger = pino({}, sink);
    // pino prints enumerable own fields as they are (not toJSON): the realistic vectors are FLORA's body
    // (message, code, fields), the URL and got's error (cause message and stack).
    const realistic = () => {
      const e = leaky();
      e.giveUpReason = 'attempts_exhausted';
      e.workspaceId = 'ws_1';
      return e;
    };
    logger.warn({ err: realistic() }, 'call failed');
    logger.warn(realistic());
    expect(out).toContain('req_1');
    expect(out).not.toContain('SECRET');
  });

  it('redactSecrets covers keys glued to words, test keys, webhook secrets and Basic credentials', () => {
    expect(redactSecrets('a sk_test_abc b')).toBe('a sk_test_[REDACTED] b');
    expect(redactSecrets('token_sk_live_abc')).toBe('token_sk_live_[REDACTED]');
    expect(redactSecrets('whsec_abc')).toBe('whsec_[REDACTED]');
    expect(redactSecrets('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: Basic [REDACTED]');
    expect(redactSecrets('bearer abc.def')).toBe('bearer [REDACTED]');
    expect(redactSecrets('nothing to see')).toBe('nothing to see');
  });
});
