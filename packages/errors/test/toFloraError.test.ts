import {
  API_CODES,
  FLORA_ERROR_CATEGORIES,
  isFloraApiError,
  isFloraError,
  KNOWN_API_CODES,
  toFloraError,
} from '@flora-resilience/errors';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const envelope = (code: string, message = `${code} message`, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ error: { code, message, ...extra } });

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('toFloraError: every documented status × code (flora-api.md §1.3, §1.5)', () => {
  // [status, code, category, retryable, maxAttempts]
  const rows: ReadonlyArray<readonly [number, string, string, boolean, number | undefined]> = [
    [400, 'invalid_json', 'invalid_request', false, undefined],
    [400, 'input_validation_error', 'invalid_request', false, undefined],
    [401, 'unauthorized', 'authentication', false, undefined],
    [401, 'invalid_api_key', 'authentication', false, undefined],
    [401, 'invalid_token', 'authentication', false, undefined],
    [402, 'insufficient_credits', 'billing', false, undefined],
    [403, 'forbidden', 'permission', false, undefined],
    [403, 'paid_plan_required', 'billing', false, undefined],
    [404, 'not_found', 'not_found', false, undefined],
    [409, 'conflict', 'conflict', false, undefined],
    [409, 'idempotency_duplicate', 'idempotency', false, undefined],
    [422, 'idempotency_conflict', 'idempotency', false, undefined],
    [429, 'rate_limited', 'rate_limited', true, undefined],
    [500, 'internal_error', 'server', true, undefined],
    [500, 'unknown_error', 'server', true, 2],
    [503, 'service_unavailable', 'server', true, undefined],
  ];

  it.each(rows)('%i %s → %s, retryable %s', (status, code, category, retryable, maxAttempts) => {
    const e = toFloraError({ status, headers: { 'request-id': 'req_abc' }, body: envelope(code), now: NOW });
    expect(isFloraApiError(e)).toBe(true);
    expect(e.name).toBe('FloraApiError');
    expect(e.status).toBe(status);
    expect(e.code).toBe(code);
    expect(e.category).toBe(category);
    expect(e.retryable).toBe(retryable);
    expect(e.maxAttempts).toBe(maxAttempts);
    expect(e.message).toBe(`${code} message`);
    expect(e.requestId).toBe('req_abc');
    expect(e.requestIds).toEqual(['req_abc']);
    expect(e.hint).toBe(API_CODES[code as keyof typeof API_CODES].hint);
    expect(e.time.toISOString()).toBe('2026-11-25T12:00:00.000Z');
  });

  it('covers every code of the table (none forgotten)', () => {
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(KNOWN_API_CODES));
  });

  it('tells the two 409s apart: conflict is a state conflict, idempotency_duplicate means "already fired"', () => {
    const a = toFloraError({ status: 409, body: envelope('conflict') });
    const b = toFloraError({ status: 409, body: envelope('idempotency_duplicate') });
    expect([a.category, b.category]).toEqual(['conflict', 'idempotency']);
    expect(b.hint).toMatch(/already fired/);
    expect(a.hint).not.toBe(b.hint);
  });

  it('tells the two 401s apart by hint', () => {
    const a = toFloraError({ status: 401, body: envelope('unauthorized') });
    const b = toFloraError({ status: 401, body: envelope('invalid_api_key') });
    expect(a.hint).toMatch(/Authorization: Bearer/);
    expect(b.hint).toMatch(/revoked/);
  });

  it('hints follow the seed’s "Fix" wording', () => {
    const hint = (status: number, code: string) => toFloraError({ status, body: envelope(code) }).hint;
    expect(hint(400, 'invalid_json')).toMatch(/serialization bug/);
    expect(hint(400, 'input_validation_error')).toMatch(/GET \/techniques\/\{slug\}/);
    expect(hint(401, 'invalid_token')).toMatch(/reconnect the MCP client/i);
    expect(hint(402, 'insufficient_credits')).toMatch(/Settings → Billing, then retry/);
    expect(hint(403, 'forbidden')).toMatch(/request-id/);
    expect(hint(404, 'not_found')).toMatch(/app\.flora\.ai\/techniques\/\{slug\}/);
    expect(hint(409, 'conflict')).toMatch(/GET the resource first/);
    expect(hint(422, 'idempotency_conflict')).toMatch(/original body.*new key/);
    expect(hint(429, 'rate_limited')).toMatch(/retry-after.*parallelism/);
    expect(hint(500, 'internal_error')).toMatch(/request-id to support/);
    expect(hint(503, 'service_unavailable')).toMatch(/status\.flora\.ai/);
  });

  it('classifies 502 and 504 with no body as retryable server errors with their own codes', () => {
    for (const [status, code] of [
      [502, 'bad_gateway'],
      [504, 'gateway_timeout'],
      [503, 'service_unavailable'],
    ] as const) {
      const e = toFloraError({ status });
      expect([e.code, e.category, e.retryable]).toEqual([code, 'server', true]);
      expect(e.message).toBe(`FLORA answered ${status} with an empty body`);
    }
  });

  // An unknown code keeps its status class: [status, category, retryable]
  const classes: ReadonlyArray<readonly [number, string, boolean]> = [
    [400, 'invalid_request', false],
    [401, 'authentication', false],
    [402, 'billing', false],
    [403, 'permission', false],
    [404, 'not_found', false],
    [408, 'timeout', true],
    [409, 'conflict', false],
    [410, 'not_found', false],
    [413, 'invalid_request', false],
    [418, 'invalid_request', false],
    [422, 'invalid_request', false],
    [429, 'rate_limited', true],
    [500, 'server', true],
    [501, 'server', false],
    [502, 'server', true],
    [503, 'server', true],
    [504, 'server', true],
    [520, 'server', true],
    [302, 'unknown', false],
    [600, 'unknown', false],
  ];
  it.each(classes)(
    'an unknown code under %i falls back to the status class (%s, retryable %s)',
    (status, category, retryable) => {
      const e = toFloraError({ status, body: envelope('brand_new_code') });
      expect(e.code).toBe('brand_new_code');
      expect([e.category, e.retryable]).toEqual([category, retryable]);
      expect(e.hint.length).toBeGreaterThan(0);
    },
  );

  it('status wins over a known code under the wrong status', () => {
    // A retryable code can never make a non-retryable status retryable…
    const a = toFloraError({ status: 400, body: envelope('rate_limited') });
    expect([a.code, a.category, a.retryable]).toEqual(['rate_limited', 'invalid_request', false]);
    // …and a non-retryable code cannot stop a 503 from being retried.
    const b = toFloraError({ status: 503, body: envelope('invalid_api_key') });
    expect([b.category, b.retryable]).toEqual(['server', true]);
    // unknown_error's one-retry cap only applies under 500.
    expect(toFloraError({ status: 502, body: envelope('unknown_error') }).maxAttempts).toBeUndefined();
    // idempotency_conflict is documented as 422; under 409 it is the status’s conflict.
    expect(toFloraError({ status: 409, body: envelope('idempotency_conflict') }).category).toBe('conflict');
  });

  it('keeps fields, with and without a per-field code', () => {
    const e = toFloraError({
      status: 400,
      body: envelope('input_validation_error', 'prompt: Required', {
        fields: [
          { field: 'prompt', message: 'Required' },
          { field: 'nodes[0]', message: 'unknown node', code: 'node_not_found' },
          'garbage',
          { nothing: true },
        ],
      }),
    });
    expect(e.fields).toEqual([
      { field: 'prompt', message: 'Required' },
      { field: 'nodes[0]', message: 'unknown node', code: 'node_not_found' },
    ]);
    expect(toFloraError({ status: 400, body: envelope('input_validation_error') }).fields).toEqual([]);
  });

  it('casing of the body keys is irrelevant to the envelope (FLORA’s envelope is all lower-case words)', () => {
    const camel = toFloraError({
      status: 429,
      body: { error: { code: 'rate_limited', message: 'm' }, requestId: 'x' },
    });
    expect(camel.code).toBe('rate_limited');
    // An already-parsed object body works like its JSON text.
    const text = toFloraError({ status: 429, body: envelope('rate_limited', 'm') });
    expect([camel.category, camel.message]).toEqual([text.category, text.message]);
  });

  it('reads headers from a record, array values, a WHATWG Headers and any case', () => {
    const forms = [
      { 'request-id': 'req_1', 'retry-after': '3' },
      { 'Request-ID': 'req_1', 'Retry-After': '3' },
      { 'request-id': ['req_1', 'req_other'], 'retry-after': ['3'] },
      new Headers({ 'Request-Id': 'req_1', 'RETRY-AFTER': '3' }),
      new Map([
        ['request-id', 'req_1'],
        ['retry-after', '3'],
      ]),
    ];
    for (const headers of forms) {
      const e = toFloraError({ status: 429, headers, body: envelope('rate_limited') });
      expect([e.requestId, e.retryAfterMs]).toEqual(['req_1', 3000]);
    }
  });

  it('ignores an insane request-id header (spaces, control characters, 300 chars)', () => {
    for (const id of ['req one', 'req\u0001', 'r'.repeat(300), '']) {
      expect(toFloraError({ status: 500, headers: { 'request-id': id } }).requestId).toBeUndefined();
    }
  });

  it('appends the response’s request-id to earlier attempts’ ids, and keeps method, url (no query) and workspace', () => {
    const e = toFloraError({
      status: 500,
      headers: { 'request-id': 'req_3' },
      requestIds: ['req_1', 'req_2'],
      attempts: 3,
      method: 'post',
      url: 'https://app.flora.ai/api/v1/techniques/t/runs?api_key=sk_live_SECRET',
      workspaceId: 'ws_1',
    });
    expect(e.requestIds).toEqual(['req_1', 'req_2', 'req_3']);
    expect(e.requestId).toBe('req_3');
    expect(e.attempts).toBe(3);
    expect(e.method).toBe('POST');
    expect(e.url).toBe('https://app.flora.ai/api/v1/techniques/t/runs');
    expect(e.workspaceId).toBe('ws_1');
  });

  it('puts the retry-after of a 429 on the error, computed against the injected clock', () => {
    const e = toFloraError({
      status: 429,
      headers: { 'retry-after': new Date(NOW + 30_000).toUTCString() },
      body: envelope('rate_limited'),
      now: NOW,
    });
    expect(e.retryAfterMs).toBe(30_000);
  });

  it('throws a precise TypeError for a garbage status or a non-object response (programming errors)', () => {
    expect(() => toFloraError({ status: 99 })).toThrow(
      /status must be an integer HTTP status code \(100–999\), got 99/,
    );
    expect(() => toFloraError({ status: 4.5 })).toThrow(TypeError);
    expect(() => toFloraError({ status: Number.NaN })).toThrow(/got NaN/);
    expect(() => toFloraError(null as never)).toThrow(/expected a response object .* got null/);
  });
});

describe('toFloraError: property — never throws on arbitrary responses', () => {
  const status = fc.integer({ min: 100, max: 999 }).filter((s) => s < 200 || s > 299);
  const headerValue = fc.oneof(
    fc.string(),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.integer(),
    fc.constant(undefined),
  );
  const headerName = fc.oneof(
    fc.constantFrom('retry-after', 'Retry-After', 'retry-after-ms', 'request-id', 'content-type'),
    fc.string(),
  );
  const headers = fc.oneof(fc.dictionary(headerName, headerValue), fc.constant(undefined), fc.constant(null));
  const body = fc.oneof(
    fc.string(),
    fc.uint8Array({ maxLength: 200 }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.jsonValue(),
    fc.record({
      error: fc.record(
        { code: fc.oneof(fc.constantFrom(...KNOWN_API_CODES), fc.string()), message: fc.anything() },
        { requiredKeys: [] },
      ),
    }),
    fc.anything(),
    fc.constant(undefined),
  );

  it('sets category ∈ FLORA_ERROR_CATEGORIES, a boolean retryable and a non-empty hint', () => {
    fc.assert(
      fc.property(status, headers, body, (s, h, b) => {
        const e = toFloraError({ status: s, headers: h as never, body: b });
        expect(isFloraError(e)).toBe(true);
        expect(FLORA_ERROR_CATEGORIES).toContain(e.category);
        expect(typeof e.retryable).toBe('boolean');
        expect(e.hint.length).toBeGreaterThan(0);
        expect(e.status).toBe(s);
        expect(() => JSON.stringify(e)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('a documented code under its documented status always gets that code’s classification', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN_API_CODES), fc.string(), (code, message) => {
        const info = API_CODES[code];
        const e = toFloraError({ status: info.statuses[0] as number, body: { error: { code, message } } });
        expect([e.code, e.category, e.retryable]).toEqual([code, info.category, info.retryable]);
      }),
    );
  });
});
