/** Every category a FLORA failure can fall into. A string-literal union, not an enum. */
export const FLORA_ERROR_CATEGORIES = [
  'rate_limited',
  'server',
  'network',
  'timeout',
  'invalid_request',
  'authentication',
  'billing',
  'permission',
  'not_found',
  'conflict',
  'idempotency',
  'run_failed',
  'circuit_open',
  'deadline',
  'aborted',
  'unknown',
] as const;

export type FloraErrorCategory = (typeof FLORA_ERROR_CATEGORIES)[number];
