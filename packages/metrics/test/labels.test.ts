import { KNOWN_API_CODES, KNOWN_RUN_CODES } from '@flora-resilience/errors';
import {
  categoryLabel,
  codeLabel,
  methodLabel,
  OperationLabeler,
  outcomeLabels,
  PROJECT_CODES,
  runCodeLabel,
  statusLabel,
} from '@flora-resilience/metrics';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const LABEL_SAFE = /^[A-Za-z0-9_*]+$/;

describe('codeLabel', () => {
  it.each([
    ['rate_limited', 'rate_limited'],
    ['idempotency_duplicate', 'idempotency_duplicate'],
    ['network_error', 'network_error'],
    ['attempt_timeout', 'attempt_timeout'],
    ['circuit_open', 'circuit_open'],
    ['deadline_exceeded', 'deadline_exceeded'],
    ['bad_gateway', 'bad_gateway'],
    [undefined, 'none'],
    ['', 'none'],
    ['req_abc123', '_OTHER'],
    ['RATE_LIMITED', '_OTHER'],
    ['__proto__', '_OTHER'],
    ['constructor', '_OTHER'],
  ])('%p → %p', (code, label) => {
    expect(codeLabel(code)).toBe(label);
  });

  it('keeps every documented FLORA code and every project code', () => {
    for (const code of [...KNOWN_API_CODES, ...PROJECT_CODES]) expect(codeLabel(code)).toBe(code);
  });

  it('maps any string into a bounded set', () => {
    const allowed = new Set<string>([...KNOWN_API_CODES, ...PROJECT_CODES, 'none', '_OTHER']);
    fc.assert(fc.property(fc.string(), (s) => allowed.has(codeLabel(s))));
  });
});

describe('runCodeLabel', () => {
  it.each([
    ['GENERATION_PROVIDER_TIMEOUT', 'GENERATION_PROVIDER_TIMEOUT'],
    ['model_timeout', 'model_timeout'],
    ['MODEL_TIMEOUT', 'model_timeout'],
    ['provider_error', 'provider_error'],
    ['generation_provider_timeout', 'GENERATION_PROVIDER_TIMEOUT'],
    ['ACCESS_DENIED_FOR_MODEL', 'ACCESS_*'],
    ['VEO3_ENTITLEMENT_REQUIRED', '*_ENTITLEMENT_REQUIRED'],
    ['BILLING_SOMETHING_NEW', 'BILLING_*'],
    ['run_9f8e7d', '_OTHER'],
    [undefined, 'none'],
  ])('%p → %p', (code, label) => {
    expect(runCodeLabel(code)).toBe(label);
  });

  it('maps any string into the known run codes, three families, none or _OTHER', () => {
    const allowed = new Set<string>([
      ...KNOWN_RUN_CODES,
      'ACCESS_*',
      '*_ENTITLEMENT_REQUIRED',
      'BILLING_*',
      'none',
      '_OTHER',
    ]);
    fc.assert(fc.property(fc.string(), (s) => allowed.has(runCodeLabel(s))));
  });
});

describe('statusLabel, methodLabel, categoryLabel', () => {
  it.each([
    [200, '200'],
    [429, '429'],
    [599, '599'],
    [undefined, 'none'],
    [600, '_OTHER'],
    [99, '_OTHER'],
    [200.5, '_OTHER'],
    [Number.NaN, '_OTHER'],
  ])('status %p → %p', (status, label) => {
    expect(statusLabel(status)).toBe(label);
  });

  it.each([
    ['get', 'GET'],
    ['POST', 'POST'],
    [undefined, 'GET'],
    ['BREW', '_OTHER'],
  ])('method %p → %p', (method, label) => {
    expect(methodLabel(method)).toBe(label);
  });

  it.each([
    ['rate_limited', 'rate_limited'],
    ['circuit_open', 'circuit_open'],
    [undefined, 'none'],
    ['weird', 'unknown'],
  ])('category %p → %p', (category, label) => {
    expect(categoryLabel(category)).toBe(label);
  });

  it('every label value is Prometheus-safe and short for any input', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -1000, max: 2000 }), (s, n) => {
        for (const v of [codeLabel(s), runCodeLabel(s), methodLabel(s), categoryLabel(s), statusLabel(n)]) {
          if (!LABEL_SAFE.test(v) || v.length > 64) return false;
        }
        return true;
      }),
    );
  });
});

describe('outcomeLabels', () => {
  it.each([
    [{ status: 200 }, { outcome: 'success', status: '200', code: 'none', category: 'none' }],
    [{}, { outcome: 'success', status: 'none', code: 'none', category: 'none' }],
    [
      { status: 429, error: { status: 429, code: 'rate_limited', category: 'rate_limited' } },
      { outcome: 'error', status: '429', code: 'rate_limited', category: 'rate_limited' },
    ],
    [
      { error: { code: 'network_error', category: 'network' } },
      { outcome: 'error', status: 'none', code: 'network_error', category: 'network' },
    ],
    [
      { error: { code: 'circuit_open', category: 'circuit_open' } },
      { outcome: 'error', status: 'none', code: 'circuit_open', category: 'circuit_open' },
    ],
    [
      { error: { status: 500, code: 'some_new_code', category: 'server' } },
      { outcome: 'error', status: '500', code: '_OTHER', category: 'server' },
    ],
    // A response let through by throwHttpErrors: false is still a failure.
    [{ status: 503 }, { outcome: 'error', status: '503', code: 'service_unavailable', category: 'server' }],
    [{ status: 404 }, { outcome: 'error', status: '404', code: 'not_found', category: 'not_found' }],
  ])('%j', (input, labels) => {
    expect(outcomeLabels(input)).toEqual(labels);
  });
});

describe('OperationLabeler', () => {
  it('admits the first N distinct operations and folds the rest into _OTHER', () => {
    const ops = new OperationLabeler(2);
    expect(ops.label('GET /runs/:id')).toBe('GET /runs/:id');
    expect(ops.label('POST /techniques/a/runs')).toBe('POST /techniques/a/runs');
    expect(ops.label('POST /techniques/b/runs')).toBe('_OTHER');
    expect(ops.label('GET /runs/:id')).toBe('GET /runs/:id');
    expect(ops.label('_OTHER')).toBe('_OTHER');
    expect(ops.size).toBe(2);
  });

  it('never yields more than N + 1 distinct labels', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.string(), { maxLength: 200 }), (n, names) => {
        const ops = new OperationLabeler(n);
        return new Set(names.map((x) => ops.label(x))).size <= n + 1;
      }),
    );
  });
});
