/**
 * Brands are registered with `Symbol.for`, so an error made by one copy of this package is recognised
 * by another copy (duplicate installs, bundled copies): `instanceof` is not used by the guards.
 */
export const BRANDS = {
  FloraError: Symbol.for('@flora-resilience/errors.FloraError'),
  FloraApiError: Symbol.for('@flora-resilience/errors.FloraApiError'),
  FloraNetworkError: Symbol.for('@flora-resilience/errors.FloraNetworkError'),
  FloraTimeoutError: Symbol.for('@flora-resilience/errors.FloraTimeoutError'),
  FloraDeadlineError: Symbol.for('@flora-resilience/errors.FloraDeadlineError'),
  FloraAbortError: Symbol.for('@flora-resilience/errors.FloraAbortError'),
  CircuitOpenError: Symbol.for('@flora-resilience/errors.CircuitOpenError'),
  FloraRunFailedError: Symbol.for('@flora-resilience/errors.FloraRunFailedError'),
} as const;

export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
