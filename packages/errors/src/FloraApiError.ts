import { BRANDS, hasBrand } from './brand.js';
import { FloraError, type FloraErrorInit } from './FloraError.js';

/** FLORA answered with a non-2xx status. `status` is always set; `code` is FLORA's `error.code` (or the status-class fallback). */
export class FloraApiError extends FloraError {
  declare readonly [BRANDS.FloraApiError]: true;
  declare readonly status: number;
  constructor(init: FloraErrorInit & { readonly status: number }) {
    super(init);
    Object.defineProperty(this, BRANDS.FloraApiError, { value: true });
  }
}
Object.defineProperty(FloraApiError.prototype, 'name', {
  value: 'FloraApiError',
  writable: true,
  configurable: true,
});

export function isFloraApiError(value: unknown): value is FloraApiError {
  return hasBrand(value, BRANDS.FloraApiError);
}
