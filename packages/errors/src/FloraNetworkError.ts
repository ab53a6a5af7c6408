import { BRANDS, hasBrand } from './brand.js';
import { FloraError, type FloraErrorInit } from './FloraError.js';

/** No response arrived: connection refused or reset, DNS failure, socket closed mid-body. `systemCode` is Node's (e.g. `ECONNRESET`). */
export class FloraNetworkError extends FloraError {
  declare readonly [BRANDS.FloraNetworkError]: true;
  readonly systemCode: string | undefined;
  constructor(init: FloraErrorInit & { readonly systemCode?: string | undefined }) {
    super(init);
    Object.defineProperty(this, BRANDS.FloraNetworkError, { value: true });
    this.systemCode = init.systemCode;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), systemCode: this.systemCode };
  }
}
Object.defineProperty(FloraNetworkError.prototype, 'name', {
  value: 'FloraNetworkError',
  writable: true,
  configurable: true,
});

export function isFloraNetworkError(value: unknown): value is FloraNetworkError {
  return hasBrand(value, BRANDS.FloraNetworkError);
}
