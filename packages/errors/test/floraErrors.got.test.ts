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
});
