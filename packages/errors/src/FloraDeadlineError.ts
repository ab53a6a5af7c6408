import { BRANDS, hasBrand } from './brand.js';
import { FloraError, type FloraErrorInit } from './FloraError.js';

/** The logical call's total deadline ran out (across attempts and waits). Never retried. */
export class FloraDeadlineError extends FloraError {
  declare readonly [BRANDS.FloraDeadlineError]: true;
  readonly deadlineMs: number | undefined;
  constructor(init: FloraErrorInit & { readonly deadlineMs?: number | undefined }) {
    super(init);
    Object.defineProperty(this, BRANDS.FloraDeadlineError, { value: true });
    this.deadlineMs = init.deadlineMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), deadlineMs: this.deadlineMs };
  }
}
Object.defineProperty(FloraDeadlineError.prototype, 'name', {
  value: 'FloraDeadlineError',
  writable: true,
  configurable: true,
});

export function isFloraDeadlineError(value: unknown): value is FloraDeadlineError {
  return hasBrand(value, BRANDS.FloraDeadlineError);
}
