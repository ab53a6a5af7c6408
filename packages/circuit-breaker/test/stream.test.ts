/**
 * `got.stream()` calls: got runs no `afterResponse` hook for streams, so the adapter watches each
 * attempt's ClientRequest (status at the headers, end or cut of a 2xx body) and settles the call on the
 * stream's 'error' / 'close'. Real HTTP against the simulator, real got and real opossum; "no request
 * was sent" is read from the simulator's counters.
 */
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BreakerRegistry,
  type BreakerState,
  createBreakerRegistry,
} from '@flora-resilience/circuit-breaker';
import { type FloraError, fromGotError, isCircuitOpenError } from '@flora-resilience/errors';
import { type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it } from '@jest/globals';
import { clientFor, hits } from './helpers.js';

let sims: Simulator[] = [];
let registries: BreakerRegistry[] = [];

async function simulator(): Promise<Simulator> {
  const sim = await startSimulator();
  sims.push(sim);
  return sim;
}
function registry(options?: Parameters<typeof createBreakerRegistry>[0]): BreakerRegistry {
  const r = createBreakerRegistry(options);
  registries.push(r);
  return r;
}

afterEach(async () => {
  for (const r of registries) r.dispose();
  registries = [];
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

const MODELS = 'GET /models';
const WORKSPACES = 'GET /workspaces';
const OPENS_FAST = { volumeThreshold: 4, resetTimeoutMs: 400 } as const;

type StreamCall = ReturnType<ReturnType<typeof clientFor>['stream']>;

/** Reads a got stream to its end (into a sink) and returns how it ended: 'ok' or the FloraError. */
async function drain(stream: StreamCall): Promise<'ok' | FloraError> {
  try {
    await pipeline(stream, new Writable({ write: (_chunk, _encoding, done) => done() }));
    return 'ok';
  } catch (error) {
    return fromGotError(error);
  }
}

/** Lets opossum's promise callbacks (where it counts outcomes) and pending socket events run. */
async function settled(): Promise<void> {
  await sleep(50);
}

/** Resolves once the breaker of `key` is in `state` (real timers: opossum's own reset timer). */
function reaches(r: BreakerRegistry, key: string, state: BreakerState): Promise<void> {
  if (r.states().get(key) === state) return Promise.resolve();
  return new Promise((resolve) => {
    const sub = r.onStateChange((e) => {
      if (e.key === key && e.to === state) {
        sub.dispose();
        resolve();
      }
    });
  });
}

/** Opens MODELS' breaker with four streamed 503s. */
async function openWithStreamed503s(sim: Simulator, r: BreakerRegistry): Promise<void> {
  const client = clientFor(sim, r);
  sim.faults.add({ kind: 'status', status: 503, code: 'service_unavailable', route: MODELS, count: 4 });
  for (let i = 0; i < 4; i++) expect(await drain(client.stream('models'))).toMatchObject({ status: 503 });
  expect(r.states().get(MODELS)).toBe('open');
}

describe('got.stream: the breaker counts streamed calls', () => {
  it('a fully consumed 2xx stream counts as a success', async () => {
    const sim = await simulator();
    const r = registry(OPENS_FAST);
    const client = clientFor(sim, r);
    for (let i = 0; i < 5; i++) expect(await drain(client.stream('models'))).toBe('ok');
    await settled();
    expect(hits(sim, MODELS)).toBe(5);
    expect(r.get(MODELS).stats()).toMatchObject({ state: 'closed', admitted: 5, successes: 5, failures: 0 });
  });

  it('streamed 503s count as failures and open the breaker; the next stream fails fast, unsent', async () => {
    const sim = await simulator();
    const r = registry(OPENS_FAST);
    await openWithStreamed503s(sim, r);
    await settled();
    expect(r.get(MODELS).stats()).toMatchObject({ state: 'open', successes: 0, failures: 4 });
    expect(hits(sim, MODELS)).toBe(4);

    const client = clientFor(sim, r);
    for (let i = 0; i < 3; i++) {
      const refused = await drain(client.stream('models'));
      expect(isCircuitOpenError(refused)).toBe(true);
      expect(refused).toMatchObject({ code: 'circuit_open', key: MODELS });
    }
    expect(hits(sim, MODELS)).toBe(4);
  });

  it('a stream the caller destroys or aborts (after the headers, or before any response) is neutral', async () => {
    const sim = await simulator();
    const r = registry(OPENS_FAST);
    const client = clientFor(sim, r);
    // huge: a 2xx body far bigger than the socket buffers, so the caller leaves it mid-body.
    sim.faults.add({ kind: 'huge', bytes: 8 * 1024 * 1024, route: MODELS });

    for (let i = 0; i < 3; i++) {
      const stream = client.stream('models');
      stream.on('error', () => {});
      stream.once('response', () => stream.destroy());
      await once(stream, 'close');
    }
    for (let i = 0; i < 3; i++) {
      const controller = new AbortController();
      const stream = client.stream('models', { signal: controller.signal });
      stream.once('response', () => controller.abort());
      expect(await drain(stream)).toMatchObject({ code: 'aborted' });
    }
    // Destroyed before any response (the server is still waiting on injected latency).
    sim.faults.add({ kind: 'latency', ms: 2_000, route: WORKSPACES });
    for (let i = 0; i < 3; i++) {
      const stream = client.stream('workspaces');
      stream.on('error', () => {});
      await once(stream, 'request');
      await sleep(50);
      stream.destroy();
      await once(stream, 'close');
    }
    await settled();
    expect(hits(sim, MODELS)).toBe(6);
    expect(r.get(MODELS).stats()).toMatchObject({ state: 'closed', successes: 0, failures: 0 });
    expect(r.get(WORKSPACES).stats()).toMatchObject({ state: 'closed', successes: 0, failures: 0 });
  });

  it('a half-open probe the caller destroys is released: the breaker probes again and can close', async () => {
    const sim = await simulator();
    const r = registry(OPENS_FAST);
    await openWithStreamed503s(sim, r);
    const client = clientFor(sim, r);
    sim.faults.clear();
    sim.faults.add({ kind: 'huge', bytes: 8 * 1024 * 1024, route: MODELS, count: 1 });

    await reaches(r, MODELS, 'half_open');
    const probe = client.stream('models');
    probe.on('error', () => {});
    probe.once('response', () => probe.destroy());
    await once(probe, 'close');
    await settled();
    expect(hits(sim, MODELS)).toBe(5);
    // Neither a failed probe (no backoff step, no failure) nor a probe left in flight forever.
    expect(r.get(MODELS).stats()).toMatchObject({ failures: 4, failedProbes: 0 });
    expect(r.states().get(MODELS)).not.toBe('closed');

    await reaches(r, MODELS, 'half_open');
    expect(await drain(client.stream('models'))).toBe('ok');
    expect(hits(sim, MODELS)).toBe(6);
    expect(r.states().get(MODELS)).toBe('closed');
  });

  it('a 2xx stream whose body is cut mid-way (huge body, then an outage) counts as a failure', async () => {
    const sim = await simulator();
    const r = registry(OPENS_FAST);
    const client = clientFor(sim, r);
    sim.faults.add({ kind: 'huge', route: MODELS });

    const stream = client.stream('models');
    const [response] = (await once(stream, 'response')) as [{ statusCode: number; complete: boolean }];
    expect(response.statusCode).toBe(200);
    // Nothing is read yet: back-pressure holds the server mid-body. The outage destroys its socket.
    await sleep(100);
    expect(response.complete).toBe(false);
    expect(r.get(MODELS).stats()).toMatchObject({ successes: 0, failures: 0 });
    const now = sim.elapsed();
    sim.faults.add({ kind: 'outage', from: now, until: now + 60_000 });

    expect(await drain(stream)).toMatchObject({ code: 'network_error' });
    await settled();
    expect(r.get(MODELS).stats()).toMatchObject({ successes: 0, failures: 1 });
  });
});
