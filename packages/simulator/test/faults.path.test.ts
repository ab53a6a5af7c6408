import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, describe, expect, it } from '@jest/globals';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const get = (s: Simulator, path: string) =>
  fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` } }).then(
    (r) => r.status,
  );

describe('faults limited to a path', () => {
  it('fails one technique and leaves the others (and deeper paths of other techniques) alone', async () => {
    sim = await startSimulator({
      faults: [{ kind: 'status', status: 503, code: 'service_unavailable', path: '/techniques/upscale-4k' }],
    });
    expect(await get(sim, '/techniques/upscale-4k')).toBe(503);
    expect(await get(sim, '/techniques/upscale-4k/runs/run_x')).toBe(503);
    expect(await get(sim, '/techniques/upscale-4k-v2')).toBe(404);
    expect(await get(sim, '/techniques/thumbnail-v3')).toBe(200);
    expect(await get(sim, '/workspaces')).toBe(200);
  });

  it('refuses a malformed path and a path on an outage', async () => {
    await expect(
      startSimulator({ faults: [{ kind: 'status', status: 500, code: 'x', path: 'techniques' }] }),
    ).rejects.toThrow("options.faults[0].path must be an API path starting with '/'");
    await expect(
      startSimulator({ faults: [{ kind: 'outage', from: 0, until: 10, path: '/x' } as never] }),
    ).rejects.toThrow('it takes no path');
  });

  it('lets two windows on the same route overlap when their paths differ', async () => {
    sim = await startSimulator();
    sim.faults.add({
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      path: '/techniques/a',
      from: 0,
      until: 100,
    });
    expect(() =>
      sim?.faults.add({
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        path: '/techniques/b',
        from: 0,
        until: 100,
      }),
    ).not.toThrow();
    expect(() =>
      sim?.faults.add({
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        path: '/techniques/a',
        from: 50,
        until: 150,
      }),
    ).toThrow('overlaps');
  });
});
