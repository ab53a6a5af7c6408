import { SIMULATOR_WORKSPACE_ID, startSimulator } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call, networkError } from './http.js';

const H = 60 * 60 * 1000;
const RUN_BODY = { mode: 'async', inputs: [{ id: 'prompt', type: 'text', value: 'a cat' }] };
const PROJECT = { name: 'p', workspace_id: SIMULATOR_WORKSPACE_ID };
const keyed = (key: string) => ({ 'idempotency-key': key });

describe('idempotency, header variant (2 h, 409 idempotency_duplicate)', () => {
  it('suppresses a repeat within 2 h without replaying, and frees the key after the window', async () => {
    const clock = { t: 1_000_000 };
    const sim = await startSimulator({ now: () => clock.t });
    try {
      const first = await call(sim.url, '/projects', { body: PROJECT, headers: keyed('k1') });
      expect(first.status).toBe(200);
      const dup = await call(sim.url, '/projects', { body: PROJECT, headers: keyed('k1') });
      expect(dup.status).toBe(409);
      expect(dup.json).toEqual({
        error: { code: 'idempotency_duplicate', message: 'Duplicate idempotency key.' },
      });
      clock.t += 2 * H - 1;
      expect((await call(sim.url, '/projects', { body: PROJECT, headers: keyed('k1') })).status).toBe(409);
      clock.t += 1;
      expect((await call(sim.url, '/projects', { body: PROJECT, headers: keyed('k1') })).status).toBe(200);
      const s = sim.stats();
      expect(s.sideEffects.projectsCreated).toBe(2);
      expect(s.byIdempotencyKey).toEqual({ k1: 4 });
      expect(s.byCode).toEqual({ idempotency_duplicate: 2 });
    } finally {
      await sim.close();
    }
  });

  it('releases the key when the create failed before its side effect (5xx or reset)', async () => {
    const sim = await startSimulator({
      faults: [{ kind: 'status', status: 500, code: 'internal_error', route: 'POST /projects', count: 1 }],
    });
    try {
      expect((await call(sim.url, '/projects', { body: PROJECT, headers: keyed('k2') })).status).toBe(500);
      expect((await call(sim.url, '/projects', { body: PROJECT, headers: keyed('k2') })).status).toBe(200);
      expect((await call(sim.url, '/projects', { body: PROJECT, headers: keyed('k2') })).status).toBe(409);
      sim.faults.add({ kind: 'reset', route: 'POST /projects', count: 1 });
      expect(await networkError(call(sim.url, '/projects', { body: PROJECT, headers: keyed('k3') }))).toBe(
        'ECONNRESET',
      );
      expect((await call(sim.url, '/projects', { body: PROJECT, headers: keyed('k3') })).status).toBe(200);
      expect(sim.stats().sideEffects.projectsCreated).toBe(2);
    } finally {
      await sim.close();
    }
  });

  it('keeps the key burned when the reset came after the side effect', async () => {
    const sim = await startSimulator({
      faults: [{ kind: 'reset', phase: 'after', route: 'POST /projects', count: 1 }],
    });
    try {
      expect(await networkError(call(sim.url, '/projects', { body: PROJECT, headers: keyed('k4') }))).toBe(
        'ECONNRESET',
      );
      expect((await call(sim.url, '/projects', { body: PROJECT, headers: keyed('k4') })).status).toBe(409);
      expect(sim.stats().sideEffects.projectsCreated).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('scopes keys per route and workspace', async () => {
    const sim = await startSimulator({ apiKeys: { sk_test_a: 'ws_a', sk_test_b: 'ws_b' } });
    try {
      const a = await call(sim.url, '/projects', {
        apiKey: 'sk_test_a',
        body: { name: 'p', workspace_id: 'ws_a' },
        headers: keyed('same'),
      });
      const b = await call(sim.url, '/projects', {
        apiKey: 'sk_test_b',
        body: { name: 'p', workspace_id: 'ws_b' },
        headers: keyed('same'),
      });
      const asset = await call(sim.url, '/assets', {
        apiKey: 'sk_test_a',
        body: { source: 'signed-url', workspace_id: 'ws_a' },
        headers: keyed('same'),
      });
      expect([a.status, b.status, asset.status]).toEqual([200, 200, 200]);
    } finally {
      await sim.close();
    }
  });
});

describe('idempotency, body variant (24 h, replay, 422 idempotency_conflict)', () => {
  it('replays the original response with idempotent-replayed: true and no new side effect', async () => {
    const clock = { t: 5_000 };
    const sim = await startSimulator({ now: () => clock.t });
    try {
      const body = { ...RUN_BODY, idempotency_key: 'b1' };
      const first = await call(sim.url, '/techniques/thumbnail-v3/runs', { body });
      expect(first.status).toBe(200);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      clock.t += 10_000; // the run is terminal now, the replay is still the original response
      const reordered = {
        idempotency_key: 'b1',
        inputs: [{ value: 'a cat', type: 'text', id: 'prompt' }],
        mode: 'async',
      };
      const replay = await call(sim.url, '/techniques/thumbnail-v3/runs', { body: reordered });
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(first.text);
      expect(replay.headers['request-id']).not.toBe(first.headers['request-id']);
      expect(sim.stats().sideEffects.runsCreated).toBe(1);

      const conflict = await call(sim.url, '/techniques/thumbnail-v3/runs', {
        body: { ...body, inputs: [{ id: 'prompt', type: 'text', value: 'a dog' }] },
      });
      expect(conflict.status).toBe(422);
      expect(conflict.json.error.code).toBe('idempotency_conflict');

      clock.t += 24 * H;
      const fresh = await call(sim.url, '/techniques/thumbnail-v3/runs', { body });
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
      expect(fresh.json.run_id).not.toBe(first.json.run_id);
      expect(sim.stats().sideEffects.runsCreated).toBe(2);
      expect(sim.stats().byIdempotencyKey).toEqual({ b1: 4 });
    } finally {
      await sim.close();
    }
  });

  it('replays a response the client never saw after a reset-after fault', async () => {
    const sim = await startSimulator({
      faults: [{ kind: 'reset', phase: 'after', route: 'POST /techniques/:slug/runs', count: 1 }],
    });
    try {
      const body = { ...RUN_BODY, idempotency_key: 'b2' };
      expect(await networkError(call(sim.url, '/techniques/thumbnail-v3/runs', { body }))).toBe('ECONNRESET');
      const replay = await call(sim.url, '/techniques/thumbnail-v3/runs', { body });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 1, creditsCharged: 0.05 });
    } finally {
      await sim.close();
    }
  });

  it('does not store failed creates (validation, 402)', async () => {
    const sim = await startSimulator({ credits: 0 });
    try {
      const body = { ...RUN_BODY, idempotency_key: 'b3' };
      expect((await call(sim.url, '/techniques/thumbnail-v3/runs', { body })).status).toBe(402);
      sim.credits.set(SIMULATOR_WORKSPACE_ID, 1);
      const ok = await call(sim.url, '/techniques/thumbnail-v3/runs', { body });
      expect(ok.status).toBe(200);
      expect(ok.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      await sim.close();
    }
  });
});

describe('idempotency mode selection', () => {
  it("'header' ignores the body key; 'body' ignores the header; 'both' (default) honours each", async () => {
    const header = await startSimulator({ idempotency: 'header' });
    const body = await startSimulator({ idempotency: 'body' });
    const both = await startSimulator();
    try {
      const runBody = { ...RUN_BODY, idempotency_key: 'x' };
      for (let i = 0; i < 2; i++) await call(header.url, '/techniques/thumbnail-v3/runs', { body: runBody });
      expect(header.stats().sideEffects.runsCreated).toBe(2);
      for (let i = 0; i < 2; i++) await call(body.url, '/projects', { body: PROJECT, headers: keyed('x') });
      expect(body.stats().sideEffects.projectsCreated).toBe(2);

      expect((await call(both.url, '/projects', { body: PROJECT, headers: keyed('x') })).status).toBe(200);
      expect((await call(both.url, '/projects', { body: PROJECT, headers: keyed('x') })).status).toBe(409);
      await call(both.url, '/techniques/thumbnail-v3/runs', { body: runBody });
      const replay = await call(both.url, '/techniques/thumbnail-v3/runs', { body: runBody });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      // Header and body on a technique run: the route honours its body key (FLORA ignores the header
      // there), so the repeat replays the original response instead of a 409.
      const withBoth = { body: { ...RUN_BODY, idempotency_key: 'y' }, headers: keyed('y') };
      const first = await call(both.url, '/techniques/thumbnail-v3/runs', withBoth);
      expect(first.status).toBe(200);
      const again = await call(both.url, '/techniques/thumbnail-v3/runs', withBoth);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(both.stats().sideEffects.runsCreated).toBe(2);
    } finally {
      await Promise.all([header.close(), body.close(), both.close()]);
    }
  });
});
