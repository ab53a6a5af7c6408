import * as errors from '@flora-resilience/errors';
import { describe, expect, it } from '@jest/globals';
import got from 'got';

describe('smoke', () => {
  it('loads', () => {
    expect(typeof got).toBe('function');
    expect(errors).toBeDefined();
  });
});
