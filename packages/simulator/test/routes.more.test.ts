import { DEFAULT_ACTIONS, SIMULATOR_WORKSPACE_ID } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call } from './http.js';
import { keyed, T0, withProject } from './routeFixtures.js';

const withSim = withProject;

const WS = SIMULATOR_WORKSPACE_ID;

const actionBody = (prj: string, extra: Record<string, unknown> = {}) => ({
  action_id: 'color-grade-image-browser',
  workspace_id: WS,
  project_id: prj,
  inputs: [{ type: 'image', url: 'https://x.test/a.png', name: 'image' }],
  params: { preset: 'cold' },
  ...extra,
});

describe('POST /runs/generation (deprecated alias of POST /generate)', () => {
  it('answers the same start shape, bills the same and is retrievable through GET /runs/{id}', async () => {
    await withSim({}, async (sim, clock, prj) => {
      const body = { type: 'image', prompt: 'a cat', workspace_id: WS, project_id: prj };
      const alias = await call(sim.url, '/runs/generation', { body });
      const modern = await call(sim.url, '/generate', { body });
      expect(alias.status).toBe(200);
      const id = alias.json.run_id as string;
      expect(id).toMatch(/^run_/);
      expect(alias.json).toEqual({
        run_id: id,
        type: 'generation',
        charged_cost: 0.04,
        estimated_seconds: 10,
        poll_url: `${sim.url}/runs/${id}`,
        project_id: prj,
        model: { model_id: 'fal-ai/flux-pro/v1.1' },
        technique: null,
        action: null,
      });
      expect({ ...modern.json, run_id: id, poll_url: alias.json.poll_url }).toEqual(alias.json);
      expect(sim.credits.get()).toBeCloseTo(100 - 0.08, 9);
      expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 2, creditsCharged: 0.08 });
      clock.t += 5000;
      expect((await call(sim.url, `/runs/${id}`)).json).toMatchObject({ run_id: id, status: 'completed' });
      const listed = await call(sim.url, '/generations');
      expect(listed.json.generations.map((g: { run_id: string }) => g.run_id)).toContain(id);
    });
  });

  it('validates like POST /generate, 404s a missing project and 402s without credits', async () => {
    await withSim({ credits: 0.01 }, async (sim, _clock, prj) => {
      const empty = await call(sim.url, '/runs/generation', { body: {} });
      expect(empty.status).toBe(400);
      expect(empty.json.error.code).toBe('input_validation_error');
      expect(empty.json.error.fields).toEqual([
        { field: 'type', message: 'Required' },
        { field: 'prompt', message: 'Required' },
        { field: 'workspace_id', message: 'Required' },
        { field: 'project_id', message: 'Required' },
      ]);
      const bare = await call(sim.url, '/runs/generation', {
        body: { type: 't2i', prompt: 'x', workspace_id: 'simulator', project_id: prj },
      });
      expect(bare.json.error.fields.map((f: { field: string }) => f.field)).toEqual(['type', 'workspace_id']);
      const missing = await call(sim.url, '/runs/generation', {
        body: { type: 'image', prompt: 'x', workspace_id: WS, project_id: 'prj_missing' },
      });
      expect([missing.status, missing.json.error.code]).toEqual([404, 'not_found']);
      const poor = await call(sim.url, '/runs/generation', {
        body: { type: 'image', prompt: 'x', workspace_id: WS, project_id: prj },
      });
      expect([poor.status, poor.json.error.code]).toEqual([402, 'insufficient_credits']);
      expect(sim.stats().sideEffects.runsCreated).toBe(0);
    });
  });

  it('honours the Idempotency-Key header: 409 idempotency_duplicate, billed once, scoped per route', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      const body = { type: 'text', prompt: 'x', workspace_id: WS, project_id: prj };
      expect((await call(sim.url, '/runs/generation', { body, headers: keyed('g1') })).status).toBe(200);
      const dup = await call(sim.url, '/runs/generation', { body, headers: keyed('g1') });
      expect(dup.status).toBe(409);
      expect(dup.json).toEqual({
        error: { code: 'idempotency_duplicate', message: 'Duplicate idempotency key.' },
      });
      expect((await call(sim.url, '/generate', { body, headers: keyed('g1') })).status).toBe(200);
      const s = sim.stats();
      expect(s.sideEffects).toMatchObject({ runsCreated: 2, creditsCharged: 0.01 });
      expect(s.byIdempotencyKey).toEqual({ g1: 3 });
    });
  });
});

describe('GET /actions and GET /actions/{actionId}', () => {
  it('lists the catalog and retrieves one action by its raw slug', async () => {
    await withSim({}, async (sim) => {
      const list = await call(sim.url, '/actions');
      expect(list.status).toBe(200);
      expect(list.json).toEqual({ actions: DEFAULT_ACTIONS });
      for (const a of list.json.actions) {
        expect(Object.keys(a)).toEqual(
          expect.arrayContaining([
            'action_id',
            'name',
            'description',
            'language',
            'charged_cost',
            'inputs',
            'outputs',
            'params',
          ]),
        );
        expect(a.action_id).toMatch(/^[a-z0-9-]+$/);
      }
      const one = await call(sim.url, '/actions/color-grade-image-browser');
      expect(one.status).toBe(200);
      expect(one.json).toEqual(DEFAULT_ACTIONS[0]);
      expect((await call(sim.url, '/actions/rotate-image')).json.params[0].key).toBe('angle');
    });
  });

  it('404 not_found for an unknown slug or a prefixed id', async () => {
    await withSim({}, async (sim) => {
      for (const id of ['nope', 'act_rotate_image', 'Rotate-Image']) {
        const r = await call(sim.url, `/actions/${id}`);
        expect([id, r.status]).toEqual([id, 404]);
        expect(r.json).toEqual({ error: { code: 'not_found', message: 'Action not found.' } });
      }
    });
  });
});

describe('POST /runs/action', () => {
  it('starts a billed action run with the start shape; GET /runs/{id} follows its lifecycle', async () => {
    await withSim({}, async (sim, clock, prj) => {
      const r = await call(sim.url, '/runs/action', { body: actionBody(prj) });
      expect(r.status).toBe(200);
      const id = r.json.run_id as string;
      expect(id).toMatch(/^run_/);
      expect(r.json).toEqual({
        run_id: id,
        type: 'action',
        charged_cost: 0.01,
        estimated_seconds: 2,
        poll_url: `${sim.url}/runs/${id}`,
        project_id: prj,
        model: null,
        technique: null,
        action: { action_id: 'color-grade-image-browser' },
      });
      expect(sim.credits.get()).toBeCloseTo(99.99, 9);
      expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 1, creditsCharged: 0.01 });
      expect((await call(sim.url, `/runs/${id}`)).json).toMatchObject({ status: 'pending', progress: 0 });
      clock.t += 5000;
      expect((await call(sim.url, `/runs/${id}`)).json).toEqual({
        run_id: id,
        status: 'completed',
        progress: 100,
        created_at: T0,
        started_at: T0 + 1000,
        completed_at: T0 + 5000,
        charged_cost: 0.01,
        poll_url: `${sim.url}/runs/${id}`,
        outputs: [
          {
            output_id: 'output_1',
            type: 'imageUrl',
            url: `https://media.flora.ai/simulator/${id}/output_1.png`,
          },
        ],
      });
      // Action runs are neither generations nor technique runs.
      expect((await call(sim.url, '/generations')).json.generations).toEqual([]);
      expect((await call(sim.url, '/technique-runs')).json.technique_runs).toEqual([]);
      // A text action and an audio-producing one.
      const text = await call(sim.url, '/runs/action', {
        body: {
          action_id: 'concat-text',
          workspace_id: WS,
          project_id: prj,
          inputs: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      });
      expect(text.json).toMatchObject({
        type: 'action',
        charged_cost: 0,
        action: { action_id: 'concat-text' },
      });
      const audio = await call(sim.url, '/runs/action', {
        body: {
          action_id: 'split-audio-from-video',
          workspace_id: WS,
          project_id: prj,
          inputs: [{ type: 'video', url: 'https://x.test/v.mp4' }],
        },
      });
      clock.t += 5000;
      expect((await call(sim.url, `/runs/${audio.json.run_id}`)).json.outputs[0].type).toBe('audioUrl');
    });
  });

  it('400 input_validation_error listing every bad field', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      const empty = await call(sim.url, '/runs/action', { body: {} });
      expect(empty.status).toBe(400);
      expect(empty.json).toEqual({
        error: {
          code: 'input_validation_error',
          message: 'action_id: Required; workspace_id: Required; project_id: Required; inputs: Required',
          fields: [
            { field: 'action_id', message: 'Required' },
            { field: 'workspace_id', message: 'Required' },
            { field: 'project_id', message: 'Required' },
            { field: 'inputs', message: 'Required' },
          ],
        },
      });
      const cases: [Record<string, unknown>, { field: string; message: string }[]][] = [
        [{ inputs: [] }, [{ field: 'inputs', message: 'Array must contain at least 1 element(s).' }]],
        [{ inputs: { type: 'image' } }, [{ field: 'inputs', message: 'Expected array.' }]],
        [{ inputs: ['x'] }, [{ field: 'inputs[0]', message: 'Expected object.' }]],
        [
          { inputs: [{ type: 'imageUrl', url: 'https://x.test/a.png' }] },
          [{ field: 'inputs[0].type', message: "Expected 'image', 'video', 'audio' or 'text'." }],
        ],
        [{ inputs: [{ type: 'image' }] }, [{ field: 'inputs[0].url', message: 'Expected an https URL.' }]],
        [
          { inputs: [{ type: 'image', url: 'http://x.test/a.png', name: 3 }] },
          [
            { field: 'inputs[0].name', message: 'Expected string.' },
            { field: 'inputs[0].url', message: 'Expected an https URL.' },
          ],
        ],
        [
          { inputs: [{ type: 'text', text: '' }] },
          [{ field: 'inputs[0].text', message: 'Expected a non-empty string.' }],
        ],
        [
          { action_id: 'act_color_grade' },
          [{ field: 'action_id', message: "Expected a raw action slug such as 'rotate-image'." }],
        ],
        [{ action_id: '' }, [{ field: 'action_id', message: 'Expected a non-empty string.' }]],
        [
          { workspace_id: 'simulator', project_id: 'p1' },
          [
            { field: 'workspace_id', message: "Invalid id: expected a 'ws_' prefixed id." },
            { field: 'project_id', message: "Invalid id: expected a 'prj_' prefixed id." },
          ],
        ],
        [{ params: [1] }, [{ field: 'params', message: 'Expected object.' }]],
      ];
      for (const [patch, fields] of cases) {
        const r = await call(sim.url, '/runs/action', { body: actionBody(prj, patch) });
        expect([patch, r.status, r.json.error.code, r.json.error.fields]).toEqual([
          patch,
          400,
          'input_validation_error',
          fields,
        ]);
      }
      const notObject = await call(sim.url, '/runs/action', { body: [1] });
      expect(notObject.json.error.fields).toEqual([{ field: 'body', message: 'Expected an object.' }]);
      const badJson = await call(sim.url, '/runs/action', { rawBody: '{"action_id":' });
      expect([badJson.status, badJson.json.error.code]).toEqual([400, 'invalid_json']);
      expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 0, creditsCharged: 0 });
    });
  });

  it("checks the inputs against the action's slots after the lookup; 404 action or project; 403 workspace", async () => {
    await withSim(
      { apiKeys: { sk_test_flora_simulator: WS, sk_test_b: 'ws_b' } },
      async (sim, _clock, prj) => {
        const mismatch = await call(sim.url, '/runs/action', {
          body: actionBody(prj, { inputs: [{ type: 'video', url: 'https://x.test/v.mp4' }] }),
        });
        expect(mismatch.status).toBe(400);
        expect(mismatch.json.error.fields).toEqual([
          {
            field: 'inputs[0].type',
            message: "Action 'color-grade-image-browser' takes image inputs, not video.",
          },
          {
            field: 'inputs',
            message: "Missing an input of type image for slot 'image' of action 'color-grade-image-browser'.",
          },
        ]);
        const unknown = await call(sim.url, '/runs/action', {
          body: actionBody(prj, { action_id: 'make-coffee' }),
        });
        expect([unknown.status, unknown.json.error]).toEqual([
          404,
          { code: 'not_found', message: 'Action not found.' },
        ]);
        const noProject = await call(sim.url, '/runs/action', { body: actionBody('prj_missing') });
        expect([noProject.status, noProject.json.error.message]).toEqual([404, 'Project not found.']);
        const foreignProject = await call(sim.url, '/runs/action', {
          apiKey: 'sk_test_b',
          body: actionBody(prj, { workspace_id: 'ws_b' }),
        });
        expect(foreignProject.status).toBe(404);
        const foreignWs = await call(sim.url, '/runs/action', {
          body: actionBody(prj, { workspace_id: 'ws_b' }),
        });
        expect([foreignWs.status, foreignWs.json.error.code]).toEqual([403, 'forbidden']);
        expect(sim.stats().sideEffects.runsCreated).toBe(0);
      },
    );
  });

  it('honours the Idempotency-Key header; a 402 leaves the key free', async () => {
    await withSim({ credits: 0.015 }, async (sim, _clock, prj) => {
      expect(
        (await call(sim.url, '/runs/action', { body: actionBody(prj), headers: keyed('a1') })).status,
      ).toBe(200);
      const dup = await call(sim.url, '/runs/action', { body: actionBody(prj), headers: keyed('a1') });
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
      const poor = await call(sim.url, '/runs/action', { body: actionBody(prj), headers: keyed('a2') });
      expect(poor.status).toBe(402);
      expect(poor.json.error).toEqual({
        code: 'insufficient_credits',
        message: 'Insufficient credits. available: $0.01, required: $0.01.',
      });
      sim.credits.set(WS, 1);
      expect(
        (await call(sim.url, '/runs/action', { body: actionBody(prj), headers: keyed('a2') })).status,
      ).toBe(200);
      const s = sim.stats();
      expect(s.sideEffects).toMatchObject({ runsCreated: 2, creditsCharged: 0.02 });
      expect(s.byIdempotencyKey).toEqual({ a1: 2, a2: 2 });
      expect(sim.credits.get()).toBeCloseTo(0.99, 9);
    });
  });

  it("casing: 'camel' rewrites the action start shape", async () => {
    await withSim({ casing: 'camel' }, async (sim, _clock, prj) => {
      const r = await call(sim.url, '/runs/action', { body: actionBody(prj) });
      expect(r.json).toMatchObject({
        type: 'action',
        chargedCost: 0.01,
        action: { actionId: 'color-grade-image-browser' },
      });
      expect(r.json.run_id).toBeUndefined();
    });
  });
});

describe('POST /feedback', () => {
  it('201 { feedback_id: fb_…, received_at } and no charge', async () => {
    await withSim({}, async (sim, clock, prj) => {
      clock.t += 7;
      const r = await call(sim.url, '/feedback', {
        body: {
          kind: 'missing_capability',
          summary: 'Need batch export',
          detail: 'Export every image of a campaign at once.',
          attempted_tools: ['generate_image'],
          workspace_id: WS,
          project_id: prj,
          run_id: 'run_abc',
        },
      });
      expect(r.status).toBe(201);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.json).toEqual({ feedback_id: r.json.feedback_id, received_at: T0 + 7 });
      expect(r.json.feedback_id).toMatch(/^fb_\S+$/);
      for (const kind of ['feature_request', 'bug', 'technique_request']) {
        const k = await call(sim.url, '/feedback', { body: { kind, summary: 's', detail: 'd' } });
        expect([kind, k.status]).toEqual([kind, 201]);
      }
      expect(sim.credits.get()).toBe(100);
      expect(sim.stats().sideEffects).toEqual({
        runsCreated: 0,
        assetsCreated: 0,
        projectsCreated: 0,
        creditsCharged: 0,
      });
    });
  });

  it('400 input_validation_error for each bad field; 403 for another workspace', async () => {
    await withSim({}, async (sim) => {
      const empty = await call(sim.url, '/feedback', { body: {} });
      expect(empty.status).toBe(400);
      expect(empty.json).toEqual({
        error: {
          code: 'input_validation_error',
          message: 'kind: Required; summary: Required; detail: Required',
          fields: [
            { field: 'kind', message: 'Required' },
            { field: 'summary', message: 'Required' },
            { field: 'detail', message: 'Required' },
          ],
        },
      });
      const bad = await call(sim.url, '/feedback', {
        body: {
          kind: 'complaint',
          summary: ' ',
          detail: 5,
          attempted_tools: 'generate_image',
          workspace_id: 'simulator',
          project_id: 'proj_1',
          run_id: '123',
        },
      });
      expect(bad.json.error.fields).toEqual([
        {
          field: 'kind',
          message: 'Expected one of feature_request, bug, technique_request, missing_capability.',
        },
        { field: 'summary', message: 'Expected a non-empty string.' },
        { field: 'detail', message: 'Expected a non-empty string.' },
        { field: 'attempted_tools', message: 'Expected an array of strings.' },
        { field: 'workspace_id', message: "Invalid id: expected a 'ws_' prefixed id." },
        { field: 'project_id', message: "Invalid id: expected a 'prj_' prefixed id." },
        { field: 'run_id', message: "Invalid id: expected a 'run_' prefixed id." },
      ]);
      const tools = await call(sim.url, '/feedback', {
        body: { kind: 'bug', summary: 's', detail: 'd', attempted_tools: ['a', 1] },
      });
      expect(tools.json.error.fields).toEqual([
        { field: 'attempted_tools', message: 'Expected an array of strings.' },
      ]);
      const other = await call(sim.url, '/feedback', {
        body: { kind: 'bug', summary: 's', detail: 'd', workspace_id: 'ws_other' },
      });
      expect([other.status, other.json.error.code]).toEqual([403, 'forbidden']);
    });
  });

  it('honours the Idempotency-Key header (409 on a repeat within 2 h)', async () => {
    await withSim({}, async (sim) => {
      const body = { kind: 'bug', summary: 's', detail: 'd' };
      expect((await call(sim.url, '/feedback', { body, headers: keyed('f1') })).status).toBe(201);
      const dup = await call(sim.url, '/feedback', { body, headers: keyed('f1') });
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
      expect((await call(sim.url, '/feedback', { body, headers: keyed('f2') })).status).toBe(201);
    });
  });
});

describe('the new action, alias and feedback routes go through the common machinery', () => {
  it('401 without a key or with a bad key, before any validation', async () => {
    await withSim({}, async (sim) => {
      const routes: [string, unknown][] = [
        ['/actions', undefined],
        ['/actions/rotate-image', undefined],
        ['/runs/action', {}],
        ['/runs/generation', {}],
        ['/feedback', {}],
      ];
      for (const [path, body] of routes) {
        const none = await call(sim.url, path, { apiKey: null, body });
        expect([path, none.status, none.json.error.code]).toEqual([path, 401, 'unauthorized']);
        const bad = await call(sim.url, path, { apiKey: 'sk_live_nope', body });
        expect([path, bad.status, bad.json.error.code]).toEqual([path, 401, 'invalid_api_key']);
      }
      expect(sim.stats().sideEffects.runsCreated).toBe(0);
    });
  });

  it('stats().byRoute counts each new template; a route fault answers before the side effect; rate limited', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      await call(sim.url, '/actions');
      await call(sim.url, '/actions/rotate-image');
      await call(sim.url, '/actions/nope');
      await call(sim.url, '/runs/action', { body: actionBody(prj) });
      await call(sim.url, '/runs/generation', {
        body: { type: 'image', prompt: 'x', workspace_id: WS, project_id: prj },
      });
      await call(sim.url, '/feedback', { body: { kind: 'bug', summary: 's', detail: 'd' } });
      expect(sim.stats().byRoute).toEqual({
        'GET /actions': 1,
        'GET /actions/:actionId': 2,
        'POST /runs/action': 1,
        'POST /runs/generation': 1,
        'POST /feedback': 1,
      });
      expect(sim.stats().byStatus).toEqual({ '200': 4, '201': 1, '404': 1 });

      sim.faults.add({
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        route: 'POST /runs/action',
        count: 1,
      });
      sim.faults.add({ kind: 'reset', path: '/actions/rotate-image', count: 1 });
      const faulted = await call(sim.url, '/runs/action', { body: actionBody(prj), headers: keyed('f') });
      expect([faulted.status, faulted.json.error.code]).toEqual([503, 'service_unavailable']);
      expect(
        (await call(sim.url, '/runs/action', { body: actionBody(prj), headers: keyed('f') })).status,
      ).toBe(200);
      expect(sim.stats().sideEffects.runsCreated).toBe(3);
      await expect(call(sim.url, '/actions/rotate-image')).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect((await call(sim.url, '/actions/color-grade-image-browser')).status).toBe(200);
    });
    await withSim({ rateLimit: { requestsPerSecond: 1, burst: 1 } }, async (sim) => {
      // withSim's POST /projects took the only token.
      const r = await call(sim.url, '/feedback', { body: { kind: 'bug', summary: 's', detail: 'd' } });
      expect([r.status, r.json.error.code]).toEqual([429, 'rate_limited']);
      expect((await call(sim.url, '/actions')).status).toBe(429);
    });
  });
});
