import { BRANDS, hasBrand } from './brand.js';
import { FloraError, type FloraErrorInit } from './FloraError.js';

/** The caller aborted the call (its `AbortSignal` fired). Never retried. */
export class FloraAbortError extends FloraError {
  declare readonly [BRANDS.FloraAbortError]: true;

  constructor(init: FloraErrorInit) {
    super(init);
    Object.defineProperty(this, BRANDS.FloraAbortError, { value: true });
  }
}
Object.defineProperty(FloraAbortError.prototype, 'name', {
  value: 'FloraAbortError',
  writable: true,
  configurable: true,
});

export function isFloraAbortError(value: unknown): value is FloraAbortError {
  return hasBrand(value, BRANDS.FloraAbortError);
}
