import { Agent } from 'node:http';
import type { BreakerRegistry, BreakerStateChange } from '@flora-resilience/circuit-breaker';
import { floraCircuitBreaker } from '@flora-resilience/circuit-breaker';
import { type FloraError, floraErrors, fromGotError } from '@flora-resilience/errors';
import { SIMULATOR_API_KEY, type Simulator } from '@flora-resilience/simulator';
import type { jest } from '@jest/globals';
import got, { type Got } from 'got';

/** A got instance as a user composes it: errors + breaker, no retry unless asked; no keep-alive (exact counts). */
export function clientFor(
  sim: Simulator | string,
  registry: BreakerRegistry,
  extra: Parameters<Got['extend']>[0] = {},
): Got {
  return got.extend(
    {
      prefixUrl: typeof sim === 'string' ? sim : sim.url,
      headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
      retry: { limit: 0 },
      agent: { http: new Agent({ keepAlive: false }) },
    },
    floraErrors(),
    floraCircuitBreaker(registry),
    extra,
  );
}

/** Runs a call and returns how it ended: 'ok' or the FloraError. */
export async function outcome(promise: Promise<unknown>): Promise<'ok' | FloraError> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return fromGotError(error);
  }
}

/** Collects a registry's state changes. */
export function recordChanges(registry: BreakerRegistry): BreakerStateChange[] {
  const events: BreakerStateChange[] = [];
  registry.onStateChange((e) => events.push(e));
  return events;
}

/** Requests the simulator received for one route template. */
export function hits(sim: Simulator, route: string): number {
  return sim.stats().byRoute[route] ?? 0;
}

export const THUMBNAIL_RUN = {
  mode: 'async',
  inputs: [{ id: 'prompt', type: 'text', value: 'a lighthouse at dawn' }],
};

export const UPSCALE_RUN = {
  mode: 'async',
  inputs: [{ id: 'image', type: 'imageUrl', value: 'https://example.com/cat.png' }],
};

/** Fake timers that leave got's and Node's own scheduling (nextTick, setImmediate, microtasks) real. */
export const FAKE_TIMERS: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
};
