import {
  createBreakerRegistry,
  DEFAULT_BREAKER_OPTIONS,
  floraCircuitBreaker,
  resolveBreakerOptions,
} from '@flora-resilience/circuit-breaker';
import { describe, expect, it } from '@jest/globals';

describe('breaker options', () => {
  it('documents its defaults', () => {
    expect({ ...DEFAULT_BREAKER_OPTIONS, keyOf: typeof DEFAULT_BREAKER_OPTIONS.keyOf }).toEqual({
      maxKeys: 1000,
      keyOf: 'function',
      volumeThreshold: 10,
      failureThresholdPercentage: 80,
      rollingWindowMs: 10_000,
      rollingBuckets: 10,
      resetTimeoutMs: 1000,
      maxResetTimeoutMs: 30_000,
      backoffFactor: 2,
    });
    expect(DEFAULT_BREAKER_OPTIONS.keyOf('get', 'https://app.flora.ai/api/v1/runs/run_8f7e6d?x=1')).toBe(
      'GET /runs/:id',
    );
  });

  it('copies and never mutates the caller’s options', () => {
    const options = Object.freeze({ resetTimeoutMs: 500 });
    const resolved = resolveBreakerOptions(options);
    expect(options).toEqual({ resetTimeoutMs: 500 });
    expect(resolved).not.toBe(options);
    expect(resolved.resetTimeoutMs).toBe(500);
    expect(resolved.maxResetTimeoutMs).toBe(30_000);
    expect(Object.isFrozen(resolved)).toBe(true);
    const registry = createBreakerRegistry(options);
    registry.get('GET /models');
    expect(options).toEqual({ resetTimeoutMs: 500 });
    registry.dispose();
  });

  it('treats undefined fields as defaults', () => {
    expect(resolveBreakerOptions({ maxKeys: undefined }).maxKeys).toBe(1000);
  });

  it.each([
    [null, TypeError, 'createBreakerRegistry: options must be an object, got null'],
    [[], TypeError, 'createBreakerRegistry: options must be an object, got []'],
    [
      { resetTimeout: 1000 },
      TypeError,
      "createBreakerRegistry: unknown option 'resetTimeout' (known: maxKeys, keyOf,",
    ],
    [
      { maxKeys: 0 },
      RangeError,
      'createBreakerRegistry: options.maxKeys must be between 1 and 16777216, got 0',
    ],
    [{ maxKeys: 1.5 }, TypeError, 'createBreakerRegistry: options.maxKeys must be an integer, got 1.5'],
    [{ maxKeys: '10' }, TypeError, 'createBreakerRegistry: options.maxKeys must be an integer, got "10"'],
    [
      { keyOf: 'route' },
      TypeError,
      'createBreakerRegistry: options.keyOf must be a function (method, url) => string, got "route"',
    ],
    [
      { volumeThreshold: -1 },
      RangeError,
      'createBreakerRegistry: options.volumeThreshold must be between 0 and 1000000, got -1',
    ],
    [
      { failureThresholdPercentage: 100 },
      RangeError,
      'options.failureThresholdPercentage must be at least 0 and below 100 (the breaker opens when failures exceed it), got 100',
    ],
    [
      { failureThresholdPercentage: Number.NaN },
      TypeError,
      'options.failureThresholdPercentage must be a finite number, got NaN',
    ],
    [{ rollingWindowMs: 5 }, RangeError, 'options.rollingWindowMs must be between 10 and 2147483647, got 5'],
    [
      { rollingWindowMs: 10_000, rollingBuckets: 3 },
      RangeError,
      'options.rollingWindowMs (10000) must split into options.rollingBuckets (3) whole buckets of at least 10 ms',
    ],
    [{ rollingBuckets: 0 }, RangeError, 'options.rollingBuckets must be between 1 and 1000, got 0'],
    [{ resetTimeoutMs: 0 }, RangeError, 'options.resetTimeoutMs must be between 1 and 2147483647, got 0'],
    [
      { resetTimeoutMs: Number.POSITIVE_INFINITY },
      TypeError,
      'options.resetTimeoutMs must be an integer, got Infinity',
    ],
    [
      { maxResetTimeoutMs: 2 ** 31 },
      RangeError,
      'options.maxResetTimeoutMs must be between 1 and 2147483647, got 2147483648',
    ],
    [
      { resetTimeoutMs: 5000, maxResetTimeoutMs: 4000 },
      RangeError,
      'options.maxResetTimeoutMs (4000) must be at least options.resetTimeoutMs (5000)',
    ],
    [{ backoffFactor: 0.5 }, RangeError, 'options.backoffFactor must be between 1 and 100, got 0.5'],
    [{ backoffFactor: '2' }, TypeError, 'options.backoffFactor must be a finite number, got "2"'],
  ])('rejects %p with a %p naming the option and the value', (options, type, message) => {
    expect(() => createBreakerRegistry(options as never)).toThrow(type);
    expect(() => createBreakerRegistry(options as never)).toThrow(message);
  });

  it('the got adapter validates the same way, under its own name', () => {
    expect(() => floraCircuitBreaker({ backoffFactor: 0 })).toThrow(
      'floraCircuitBreaker: options.backoffFactor must be between 1 and 100, got 0',
    );
  });

  it('a key function that returns no string fails loudly at the attempt', () => {
    const registry = createBreakerRegistry({ keyOf: () => '' });
    expect(() => registry.keyOf('GET', 'https://app.flora.ai/api/v1/models')).toThrow(
      'createBreakerRegistry: options.keyOf must return a non-empty string, got an empty string for GET https://app.flora.ai/api/v1/models',
    );
    registry.dispose();
  });
});
