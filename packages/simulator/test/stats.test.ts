import { SIMULATOR_WORKSPACE_ID, startSimulator } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call } from './http.js';

describe('stats()', () => {
  it('counts requests per route, status and code, side effects and idempotency keys, and records attempts in order', async () => {
    const clock = { t: 42 };
    const sim = await startSimulator({ now: () => clock.t });
    try {
      await call(sim.url, '/techniques');
      await call(sim.url, '/techniques/nope');
      await call(sim.url, '/models', { apiKey: null });
      const p = await call(sim.url, '/projects', {
        body: { name: 'p', workspace_id: SIMULATOR_WORKSPACE_ID },
        headers: { 'idempotency-key': 'k' },
      });
      await call(sim.url, '/projects', {
        body: { name: 'p', workspace_id: SIMULATOR_WORKSPACE_ID },
        headers: { 'idempotency-key': 'k' },
      });
      await call(sim.url, '/assets', {
        body: { source: 'signed-url', workspace_id: SIMULATOR_WORKSPACE_ID },
      });
      await call(sim.url, '/techniques/cctv-cam/runs', {
        body: {
          mode: 'async',
          inputs: [{ id: 'image', type: 'imageUrl', value: 'https://x.test/i.png' }],
          idempotency_key: 'b',
        },
      });
      const s = sim.stats();
      expect(s.requests).toBe(7);
      expect(s.byRoute).toEqual({
        'GET /techniques': 1,
        'GET /techniques/:idOrSlug': 1,
        'GET /models': 1,
        'POST /projects': 2,
        'POST /assets': 1,
        'POST /techniques/:slug/runs': 1,
      });
      expect(s.byStatus).toEqual({ '200': 4, '404': 1, '401': 1, '409': 1 });
      expect(s.byCode).toEqual({ not_found: 1, unauthorized: 1, idempotency_duplicate: 1 });
      expect(s.byIdempotencyKey).toEqual({ k: 2, b: 1 });
      expect(s.sideEffects).toEqual({
        runsCreated: 1,
        assetsCreated: 1,
        projectsCreated: 1,
        creditsCharged: 0.5,
      });
      expect(s.attempts).toHaveLength(7);
      expect(s.attempts[3]).toEqual({
        time: 42,
        method: 'POST',
        route: 'POST /projects',
        path: '/projects',
        status: 200,
        code: null,
        requestId: p.headers['request-id'],
        idempotencyKey: 'k',
        workspaceId: SIMULATOR_WORKSPACE_ID,
        fault: null,
      });
      expect(s.attempts[2]).toMatchObject({ workspaceId: null, status: 401, code: 'unauthorized' });
      expect(s.droppedAttempts).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it('returns a copy, keeps a bounded ring, and resetStats() zeroes counters but keeps state', async () => {
    const sim = await startSimulator({ statsLimit: 3 });
    try {
      for (const path of ['/models', '/workspaces', '/techniques', '/models', '/workspaces'])
        await call(sim.url, path);
      const s = sim.stats();
      expect(s.requests).toBe(5);
      expect(s.droppedAttempts).toBe(2);
      expect(s.attempts.map((a) => a.path)).toEqual(['/techniques', '/models', '/workspaces']);
      s.attempts.length = 0;
      s.byRoute['GET /models'] = 99;
      s.sideEffects.runsCreated = 99;
      expect(sim.stats().attempts).toHaveLength(3);
      expect(sim.stats().byRoute['GET /models']).toBe(2);
      expect(sim.stats().sideEffects.runsCreated).toBe(0);

      const prj = (
        await call(sim.url, '/projects', { body: { name: 'keep', workspace_id: SIMULATOR_WORKSPACE_ID } })
      ).json;
      sim.resetStats();
      const z = sim.stats();
      expect(z.requests).toBe(0);
      expect(z.attempts).toEqual([]);
      expect(z.sideEffects.projectsCreated).toBe(0);
      expect((await call(sim.url, `/projects/${prj.project_id}`)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
