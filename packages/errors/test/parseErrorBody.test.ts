import { MAX_PARSED_BODY_BYTES, parseErrorBody, toFloraError } from '@flora-resilience/errors';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const ENVELOPE = '{"error":{"code":"rate_limited","message":"Rate limit exceeded."}}';
const MB20 = 20 * 1024 * 1024;

describe('parseErrorBody + toFloraError: hostile bodies are classified, never thrown', () => {
  it('HTML 502 from a proxy → html, retryable server error', () => {
    const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    expect(parseErrorBody(html).kind).toBe('html');
    expect(parseErrorBody(Buffer.from(`\n  ${html}`)).kind).toBe('html');
    const e = toFloraError({ status: 502, headers: { 'content-type': 'text/html' }, body: html });
    expect([e.code, e.category, e.retryable]).toEqual(['bad_gateway', 'server', true]);
    expect(e.message).toBe('FLORA answered 502 with an HTML body (a proxy or gateway page)');
  });

  it('empty 500 (undefined, null, "", whitespace, empty Buffer) → empty, retryable server error', () => {
    for (const body of [undefined, null, '', '  \r\n', Buffer.alloc(0), new ArrayBuffer(0)]) {
      expect(parseErrorBody(body).kind).toBe('empty');
      const e = toFloraError({ status: 500, body });
      expect([e.code, e.category, e.retryable]).toEqual(['server_error', 'server', true]);
    }
  });

  it('truncated JSON → invalid_json; the status decides', () => {
    const cut = ENVELOPE.slice(0, 30);
    expect(parseErrorBody(cut)).toEqual({ kind: 'invalid_json' });
    expect(parseErrorBody(Buffer.from(cut))).toEqual({ kind: 'invalid_json' });
    const e = toFloraError({ status: 429, body: cut });
    expect([e.code, e.category, e.retryable]).toEqual(['rate_limited', 'rate_limited', true]);
    expect(e.message).toBe('FLORA answered 429 with a truncated or invalid JSON body');
  });

  it.each([
    ['an array', '[1,2,3]'],
    ['a string', '"oops"'],
    ['a number', '42'],
    ['error as a string', '{"error":"x"}'],
    ['a numeric code', '{"error":{"code":123}}'],
    ['error as an array', '{"error":["rate_limited"]}'],
    ['null', 'null'],
  ])('a JSON body that is not the envelope (%s) falls back to the status', (_, body) => {
    const parsed = parseErrorBody(body);
    expect(parsed.code).toBeUndefined();
    const e = toFloraError({ status: 503, body });
    expect([e.code, e.category, e.retryable]).toEqual(['service_unavailable', 'server', true]);
    const f = toFloraError({ status: 404, body });
    expect([f.code, f.category, f.retryable]).toEqual(['not_found', 'not_found', false]);
  });

  it('keeps the message of {"error":"x"} and of a flat gateway {code, message}', () => {
    expect(parseErrorBody('{"error":"x"}')).toEqual({ kind: 'json', message: 'x' });
    expect(parseErrorBody({ code: 'rate_limited', message: 'slow down' })).toEqual({
      kind: 'json',
      code: 'rate_limited',
      message: 'slow down',
    });
  });

  it('plain text and a UTF-8 BOM', () => {
    expect(parseErrorBody('upstream connect error or disconnect/reset before headers').kind).toBe('text');
    expect(parseErrorBody(`\uFEFF${ENVELOPE}`)).toMatchObject({ kind: 'envelope', code: 'rate_limited' });
  });

  it('a 20 MB Buffer and a 20 MB string are not parsed (too_large) and still classified by status', () => {
    const buffer = Buffer.alloc(MB20, 0x61);
    const text = 'a'.repeat(MB20);
    for (const body of [buffer, text]) {
      expect(parseErrorBody(body)).toEqual({ kind: 'too_large' });
      const e = toFloraError({ status: 500, body });
      expect([e.code, e.category, e.retryable]).toEqual(['server_error', 'server', true]);
      expect(e.message).toBe('FLORA answered 500 with an oversized body (not parsed)');
    }
  });

  it('only a bounded prefix is parsed: a valid envelope followed by 20 MB of padding is too_large', () => {
    // The whole text IS valid JSON (whitespace padding): a parser reading all of it would find the envelope.
    const padded = ENVELOPE + ' '.repeat(MB20);
    expect(JSON.parse(padded.slice(0, ENVELOPE.length + 10)).error.code).toBe('rate_limited');
    expect(parseErrorBody(padded)).toEqual({ kind: 'too_large' });
    expect(parseErrorBody(Buffer.from(padded))).toEqual({ kind: 'too_large' });
    // Right at the bound it is still parsed.
    const atBound = ENVELOPE + ' '.repeat(MAX_PARSED_BODY_BYTES - ENVELOPE.length);
    expect(atBound.length).toBe(MAX_PARSED_BODY_BYTES);
    expect(parseErrorBody(atBound)).toMatchObject({ kind: 'envelope', code: 'rate_limited' });
    expect(parseErrorBody(`${atBound} `)).toEqual({ kind: 'too_large' });
  });

  it('a 10 kB code is not trusted (status class); a 10 kB message is cut to 1 000 chars', () => {
    const e = toFloraError({
      status: 429,
      body: JSON.stringify({ error: { code: 'x'.repeat(10_000), message: 'm' } }),
    });
    expect([e.code, e.category]).toEqual(['rate_limited', 'rate_limited']);
    const f = toFloraError({
      status: 400,
      body: JSON.stringify({ error: { code: 'invalid_json', message: 'm'.repeat(10_000) } }),
    });
    expect(f.message.length).toBe(1_000);
    expect(f.code).toBe('invalid_json');
  });

  it('a code that is not a code (spaces, markup, non-ASCII) is ignored', () => {
    for (const code of ['rate limited', '<script>', 'räte', '']) {
      expect(parseErrorBody({ error: { code, message: 'm' } }).code).toBeUndefined();
    }
  });

  it('prototype pollution attempts neither pollute nor classify', () => {
    const attempts = [
      '{"error":{"__proto__":{"code":"rate_limited","message":"m"}}}',
      '{"__proto__":{"error":{"code":"rate_limited","message":"m"}}}',
      '{"error":{"code":"__proto__","message":"m"}}',
      '{"error":{"code":"constructor","message":"m"}}',
      '{"error":{"code":"toString"},"constructor":{"prototype":{"polluted":true}}}',
    ];
    for (const body of attempts) {
      const e = toFloraError({ status: 400, body });
      expect([e.category, e.retryable]).toEqual(['invalid_request', false]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).code).toBeUndefined();
  });

  it('a body object whose getters throw is classified as text, not thrown', () => {
    const hostile = {
      get error(): never {
        throw new Error('boom');
      },
    };
    expect(parseErrorBody(hostile)).toEqual({ kind: 'text' });
    expect(toFloraError({ status: 502, body: hostile }).category).toBe('server');
  });

  it('caps fields at 100 entries and 1 000 chars', () => {
    const fields = Array.from({ length: 500 }, (_, i) => ({ field: `f${i}`, message: 'x'.repeat(5_000) }));
    const parsed = parseErrorBody({ error: { code: 'input_validation_error', message: 'm', fields } });
    expect(parsed.fields).toHaveLength(100);
    expect(parsed.fields?.[0]?.message.length).toBe(1_000);
  });

  it('property: never throws on arbitrary bytes, text or values, and always names a kind', () => {
    const kinds = ['envelope', 'json', 'html', 'text', 'empty', 'too_large', 'invalid_json'];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.string(),
          fc.anything(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (body) => {
          expect(kinds).toContain(parseErrorBody(body).kind);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
