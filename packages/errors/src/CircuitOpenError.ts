import { BRANDS, hasBrand } from './brand.js';
import { FloraError, type FloraErrorInit } from './FloraError.js';

/** The circuit breaker for this FLORA operation is open: the attempt failed at once and no request was sent. */
export class CircuitOpenError extends FloraError {
  declare readonly [BRANDS.CircuitOpenError]: true;
  /** The breaker key (method + route template). */
  readonly key: string;
  constructor(init: FloraErrorInit & { readonly key: string }) {
    super(init);
    Object.defineProperty(this, BRANDS.CircuitOpenError, { value: true });
    this.key = init.key;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), key: this.key };
  }
}
Object.defineProperty(CircuitOpenError.prototype, 'name', {
  value: 'CircuitOpenError',
  writable: true,
  configurable: true,
});

export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return hasBrand(value, BRANDS.CircuitOpenError);
}
