import type { Simulator } from '@flora-resilience/simulator';
import { expect } from '@jest/globals';
import { call } from './http.js';

/** `[method, path, route template]` of routes a test file covers. */
export type RouteRow = readonly [method: string, path: string, template: string];

/**
 * Each route answers 401 `unauthorized` without a key and 401 `invalid_api_key` with a bad one; with the
 * simulator's own key it answers `authorized` (the status and code a placeholder path gets, e.g. 403 for a
 * foreign workspace or 404 for an unknown project). Every request is counted under its route template.
 */
export async function expectAuthAndStats(
  sim: Simulator,
  routes: readonly RouteRow[],
  authorized: readonly [status: number, code: string],
): Promise<void> {
  for (const [method, path] of routes) {
    const none = await call(sim.url, path, { method, apiKey: null });
    expect([path, none.status, none.json.error.code]).toEqual([path, 401, 'unauthorized']);
    const bad = await call(sim.url, path, { method, apiKey: 'sk_live_nope' });
    expect([path, bad.status, bad.json.error.code]).toEqual([path, 401, 'invalid_api_key']);
    const own = await call(sim.url, path, { method });
    expect([path, own.status, own.json.error.code]).toEqual([path, ...authorized]);
  }
  const s = sim.stats();
  expect(s.byRoute).toEqual(Object.fromEntries(routes.map(([, , t]) => [t, 3])));
  expect(s.byCode).toEqual({
    unauthorized: routes.length,
    invalid_api_key: routes.length,
    [authorized[1]]: routes.length,
  });
}
