import { BRANDS, hasBrand } from './brand.js';
import { FloraError, type FloraErrorInit } from './FloraError.js';

/** One attempt ran past its timeout (got's `timeout.request` or a narrower phase). */
export class FloraTimeoutError extends FloraError {
  declare readonly [BRANDS.FloraTimeoutError]: true;
  readonly timeoutMs: number | undefined;
  readonly phase: string | undefined;
  constructor(
    init: FloraErrorInit & { readonly timeoutMs?: number | undefined; readonly phase?: string | undefined },
  ) {
    super(init);
    Object.defineProperty(this, BRANDS.FloraTimeoutError, { value: true });
    this.timeoutMs = init.timeoutMs;
    this.phase = init.phase;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs, phase: this.phase };
  }
}
Object.defineProperty(FloraTimeoutError.prototype, 'name', {
  value: 'FloraTimeoutError',
  writable: true,
  configurable: true,
});

export function isFloraTimeoutError(value: unknown): value is FloraTimeoutError {
  return hasBrand(value, BRANDS.FloraTimeoutError);
}
