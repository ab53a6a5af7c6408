import {
  SIMULATOR_WORKSPACE_ID,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '@flora-resilience/simulator';
import { expect } from '@jest/globals';
import { call, type RawResponse } from './http.js';

/** The simulator clock's start in the route tests (epoch ms). */
export const T0 = 1_700_000_000_000;
/** Two keys, one per workspace: `sk_test_a` → `ws_a`, `sk_test_b` → `ws_b`. */
export const TWO_KEYS = { apiKeys: { sk_test_a: 'ws_a', sk_test_b: 'ws_b' } };
export const keyed = (key: string) => ({ 'idempotency-key': key });
/** The `field` of every item of a validation error's `fields`. */
export const fieldsOf = (r: Pick<RawResponse, 'json'>): string[] =>
  (r.json.error.fields as { field: string }[]).map((f) => f.field);

/** A simulator on a hand-driven clock (runs: 1 s pending, 4 s running), closed after `fn`. */
export async function withClockedSim(
  options: SimulatorOptions,
  fn: (sim: Simulator, clock: { t: number }) => Promise<void>,
): Promise<void> {
  const clock = { t: T0 };
  const sim = await startSimulator({
    now: () => clock.t,
    runs: { pendingMs: 1000, runningMs: 4000 },
    ...options,
  });
  try {
    await fn(sim, clock);
  } finally {
    await sim.close();
  }
}

/**
 * {@link withClockedSim} plus one project of the first key's workspace (`ws_a` with {@link TWO_KEYS}), created
 * through `create` (default `POST /projects`); stats are reset after it.
 */
export function withProject(
  options: SimulatorOptions,
  fn: (sim: Simulator, clock: { t: number }, prj: string) => Promise<void>,
  create: (sim: Simulator, ws: string, apiKey: string | undefined) => Promise<RawResponse> = (
    sim,
    ws,
    apiKey,
  ) => call(sim.url, '/projects', { body: { name: 'p', workspace_id: ws }, apiKey }),
): Promise<void> {
  return withClockedSim(options, async (sim, clock) => {
    const first = options.apiKeys ? Object.entries(options.apiKeys)[0] : undefined;
    const apiKey = first?.[0];
    const ws = first?.[1] ?? SIMULATOR_WORKSPACE_ID;
    const prj = await create(sim, ws, apiKey);
    expect(prj.status).toBe(200);
    sim.resetStats();
    await fn(sim, clock, prj.json.project_id as string);
  });
}

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
