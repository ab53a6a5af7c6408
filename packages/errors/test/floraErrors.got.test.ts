import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CircuitOpenError,
  floraErrors,
  fromGotError,
  isCircuitOpenError,
  isFloraAbortError,
  isFloraApiError,
  isFloraError,
  isFloraNetworkError,
  isFloraTimeoutError,
} from '@flora-resilience/errors';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';

let server: http.Server;
let base: string;
let counter = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const id = `req_test${++counter}`;
    res.setHeader('request-id', id);
    const path = req.url ?? '/';
    if (path.startsWith('/429')) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end('{"error":{"code":"rate_limited","message":"Rate limit exceeded."}}');
    } else if (path.startsWith('/400')) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        '{"error":{"code":"input_validation_error","message":"prompt: Required","fields":[{"field":"prompt","message":"Required"}]}}',
      );
    } else if (path.startsWith('/502')) {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>Bad gateway</body></html>');
    } else if (path.startsWith('/500')) {
      res.writeHead(500);
      res.end();
    } else if (path.startsWith('/401')) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"invalid_api_key","message":"Invalid API key."}}');
    } else if (path.startsWith('/402')) {
      res.writeHead(402, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"insufficient_credits","message":"Insufficient credits."}}');
    } else if (path.startsWith('/409')) {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"idempotency_duplicate","message":"Duplicate idempotency key."}}');
    } else if (path.startsWith('/422')) {
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"idempotency_conflict","message":"Different body."}}');
    } else if (path.startsWith('/503')) {
      res.writeHead(503, {
        'content-type': 'application/json',
        'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT',
      });
      res.end('{"error":{"code":"service_unavailable","message":"Maintenance."}}');
    } else if (path.startsWith('/truncated')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"run_id":"run_1","status":"comp');
    } else if (path.startsWith('/huge')) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(Buffer.alloc(3 * 1024 * 1024, 0x20));
    } else if (path.startsWith('/reset')) {
      req.socket.destroy();
    } else if (path.startsWith('/slow')) {
      setTimeout(() => res.end('{}'), 500).unref();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

const client = () =>
  got.extend(
    { prefixUrl: base, retry: { limit: 0 }, headers: { authorization: 'Bearer sk_live_SECRETSECRET' } },
    floraErrors({ workspaceId: 'ws_test' }),
  );

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('floraErrors (got adapter, real HTTP)', () => {
  it('turns a 429 into a FloraApiError with requestId and retryAfterMs', async () => {
    const e = await failure(client().get('429'));
    expect(isFloraApiError(e)).toBe(true);
    if (!isFloraApiError(e)) return;
    expect(e.status).toBe(429);
    expect(e.code).toBe('rate_limited');
    expect(e.category).toBe('rate_limited');
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(7000);
    expect(e.requestId).toMatch(/^req_test\d+$/);
    expect(e.requestIds).toEqual([e.requestId]);
    expect(e.method).toBe('GET');
    expect(e.url).toBe(`${base}/429`);
    expect(e.workspaceId).toBe('ws_test');
    expect((e.cause as Error).name).toBe('HTTPError');
  });

  it('keeps fields of a 400 and never retries it', async () => {
    const e = await failure(client().post('400', { json: {} }));
    expect(isFloraApiError(e) && e.fields).toEqual([{ field: 'prompt', message: 'Required' }]);
    expect(isFloraError(e) && e.retryable).toBe(false);
  });

  it('classifies an HTML 502 and an empty 500 as retryable server errors', async () => {
    const a = await failure(client().get('502'));
    const b = await failure(client().get('500'));
    expect(isFloraApiError(a) && [a.status, a.category, a.retryable]).toEqual([502, 'server', true]);
    expect(isFloraApiError(b) && [b.status, b.category, b.retryable]).toEqual([500, 'server', true]);
  });

  it('records every attempt’s request-id across got retries', async () => {
    const e = await failure(
      client()
        .extend({ retry: { limit: 2, calculateDelay: ({ computedValue }) => (computedValue ? 1 : 0) } })
        .get('502'),
    );
    expect(isFloraError(e) && e.requestIds.length).toBe(3);
    expect(isFloraError(e) && e.attempts).toBe(3);
    expect(isFloraError(e) && e.requestId).toBe(isFloraError(e) ? e.requestIds[2] : '');
  });

  it('turns a connection reset into a FloraNetworkError', async () => {
    const e = await failure(client().get('reset'));
    expect(isFloraNetworkError(e)).toBe(true);
    expect(isFloraError(e) && [e.code, e.category, e.retryable, e.requestId]).toEqual([
      'network_error',
      'network',
      true,
      undefined,
    ]);
  });

  it('turns a refused connection into a FloraNetworkError', async () => {
    const e = await failure(got.extend(floraErrors())('http://127.0.0.1:1/x', { retry: { limit: 0 } }));
    expect(isFloraNetworkError(e) && e.systemCode).toBe('ECONNREFUSED');
  });

  it('turns an attempt timeout into a FloraTimeoutError', async () => {
    const e = await failure(client().get('slow', { timeout: { request: 50 } }));
    expect(isFloraTimeoutError(e) && [e.code, e.category, e.timeoutMs]).toEqual([
      'attempt_timeout',
      'timeout',
      50,
    ]);
  });

  it('leaves a caller abort as got’s AbortError (got runs no beforeError hook for it); fromGotError converts it', async () => {
    const controller = new AbortController();
    const p = client().get('slow', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const e = await failure(p);
    expect((e as Error).name).toBe('AbortError');
    const converted = fromGotError(e);
    expect(isFloraAbortError(converted)).toBe(true);
    expect(converted.retryable).toBe(false);
    expect(fromGotError(e)).toBe(converted);
  });

  it('classifies an abort during a retry wait as aborted, not by the previous attempt’s 429', async () => {
    const controller = new AbortController();
    const p = client()
      .extend({ retry: { limit: 2, calculateDelay: ({ computedValue }) => (computedValue ? 400 : 0) } })
      .get('429', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const e = await failure(p);
    const converted = fromGotError(e);
    expect(isFloraAbortError(converted)).toBe(true);
    expect(converted.code).toBe('aborted');
  });

  it('passes one of our own errors thrown in a hook through unchanged', async () => {
    const open = new CircuitOpenError({
      code: 'circuit_open',
      message: 'open',
      category: 'circuit_open',
      retryable: false,
      hint: 'wait',
      key: 'GET /x',
    });
    const e = await failure(
      client()
        .extend({
          hooks: {
            beforeRequest: [
              () => {
                throw open;
              },
            ],
          },
        })
        .get('ok'),
    );
    expect(isCircuitOpenError(e)).toBe(true);
    expect(e).toBe(open);
  });

  it('never shows the API key in message, JSON or inspect', async () => {
    const { inspect } = await import('node:util');
    for (const path of ['429', '400', '502', 'reset']) {
      const e = await failure(client().get(path));
      const text = `${String((e as Error).message)} ${JSON.stringify(e)} ${inspect(e, { depth: 10 })}`;
      expect(text).not.toContain('SECRETSECRET');
    }
  });

  it.each([
    ['401', 401, 'invalid_api_key', 'authentication'],
    ['402', 402, 'insufficient_credits', 'billing'],
    ['409', 409, 'idempotency_duplicate', 'idempotency'],
    ['422', 422, 'idempotency_conflict', 'idempotency'],
  ] as const)(
    'a %s arrives as a non-retryable FloraApiError with the response’s request-id',
    async (path, status, code, category) => {
      const before = counter;
      const e = await failure(client().get(path));
      expect(isFloraApiError(e)).toBe(true);
      if (!isFloraApiError(e)) return;
      expect([e.status, e.code, e.category, e.retryable]).toEqual([status, code, category, false]);
      // The id the server really sent for this response (the counter is advanced once per request).
      expect(e.requestId).toBe(`req_test${before + 1}`);
      expect(e.requestIds).toEqual([`req_test${before + 1}`]);
      expect(e.attempts).toBe(1);
    },
  );

  it('a 503 with a past HTTP-date retry-after asks for no wait (0 ms)', async () => {
    const e = await failure(client().get('503'));
    expect(isFloraApiError(e) && [e.code, e.retryable, e.retryAfterMs]).toEqual([
      'service_unavailable',
      true,
      0,
    ]);
  });

  it('a 3 MB 500 body is classified without being parsed', async () => {
    const e = await failure(client().get('huge'));
    expect(isFloraApiError(e) && [e.code, e.category, e.message]).toEqual([
      'server_error',
      'server',
      'FLORA answered 500 with an oversized body (not parsed)',
    ]);
  });

  it('a 200 with truncated JSON (got ParseError, responseType json) arrives as a retryable invalid_response with its request-id', async () => {
    const before = counter;
    const e = await failure(client().get('truncated', { responseType: 'json' }));
    expect(isFloraNetworkError(e)).toBe(true);
    if (!isFloraError(e)) return;
    expect([e.code, e.category, e.retryable, e.status]).toEqual(['invalid_response', 'server', true, 200]);
    expect(e.requestId).toBe(`req_test${before + 1}`);
    expect((e.cause as Error).name).toBe('ParseError');
  });

  it('with .json(), got parses after the hooks (no beforeError): the ParseError arrives raw and fromGotError converts it', async () => {
    const before = counter;
    const raw = await failure(client().get('truncated').json());
    expect((raw as Error).name).toBe('ParseError');
    const e = fromGotError(raw);
    expect([e.code, e.status, e.requestId]).toEqual(['invalid_response', 200, `req_test${before + 1}`]);
  });

  it('stamps the per-call context.flora.workspaceId (it wins over the factory default) on the error and the call record', async () => {
    const e = await failure(client().get('429', { context: { flora: { workspaceId: 'ws_call' } } }));
    expect(isFloraError(e) && e.workspaceId).toBe('ws_call');
    const f = await failure(client().get('429'));
    expect(isFloraError(f) && f.workspaceId).toBe('ws_test');
  });

  it('rejects a malformed per-call workspaceId with a TypeError naming the option', () => {
    expect(() => client().get('ok', { context: { flora: { workspaceId: 42 } } })).toThrow(
      'floraErrors: context.flora.workspaceId must be a non-empty string, got 42',
    );
    expect(() => client().get('ok', { context: { flora: 'ws_1' } })).toThrow(
      'floraErrors: context.flora must be an object, got string',
    );
  });

  it('validates its own options', () => {
    expect(() => floraErrors({ workspaceId: '' })).toThrow(
      'floraErrors: options.workspaceId must be a non-empty string, got ""',
    );
    expect(() => floraErrors(null as never)).toThrow(TypeError);
  });

  it('starts a fresh call record per logical call (no request-ids carried over between calls)', async () => {
    const instance = client();
    const a = await failure(instance.get('429'));
    const b = await failure(instance.get('429'));
    expect(isFloraError(a) && isFloraError(b) && [a.requestIds.length, b.requestIds.length]).toEqual([1, 1]);
    expect(isFloraError(a) && isFloraError(b) && a.requestId !== b.requestId).toBe(true);
  });

  it('leaves successful calls alone', async () => {
    expect(await client().get('ok').json()).toEqual({ ok: true });
  });

  it('fromGotError is idempotent: the same got error maps to the same FloraError', async () => {
    const gotError = await failure(got(`${base}/429`, { retry: { limit: 0 } }));
    expect((gotError as Error).name).toBe('HTTPError');
    const first = fromGotError(gotError);
    expect(fromGotError(gotError)).toBe(first);
    expect(fromGotError(first)).toBe(first);
    expect([first.code, first.retryAfterMs]).toEqual(['rate_limited', 7000]);
    expect(first.requestId).toMatch(/^req_test\d+$/);
  });
});
