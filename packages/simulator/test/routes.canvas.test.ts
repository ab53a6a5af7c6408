import { SIMULATOR_WORKSPACE_ID, type Simulator } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call } from './http.js';
import { expectAuthAndStats, fieldsOf, keyed, T0, TWO_KEYS, withProject } from './routeFixtures.js';

const withSim = withProject;

const WS = SIMULATOR_WORKSPACE_ID;
const NODE_ID = /^node_[0-9a-f]{24}$/;
const canvasUrl = (prj: string) => `https://app.flora.ai/projects/${prj}`;

const nodes = async (sim: Simulator, prj: string, apiKey?: string) => {
  const r = await call(sim.url, `/projects/${prj}/nodes?limit=100`, { apiKey });
  expect(r.status).toBe(200);
  return r.json.nodes as Record<string, unknown>[];
};

const createAction = (sim: Simulator, prj: string, body: unknown, headers?: Record<string, string>) =>
  call(sim.url, `/projects/${prj}/actions`, { body, headers });

const asset = async (sim: Simulator, extra: Record<string, unknown> = {}, apiKey?: string) => {
  const r = await call(sim.url, '/assets', {
    body: {
      source: 'https://x.test/cat.png',
      workspace_id: apiKey ? 'ws_a' : WS,
      content_type: 'image/png',
      file_name: 'cat.png',
      ...extra,
    },
    apiKey,
  });
  expect(r.status).toBe(200);
  return r.json.asset_id as string;
};

describe('POST /projects/{projectId}/actions', () => {
  it('creates an action node (SDK shape) that GET /projects/{id}/nodes then lists', async () => {
    await withSim({}, async (sim, clock, prj) => {
      const a = await asset(sim, { project_id: prj });
      clock.t += 10;
      const r = await createAction(sim, prj, { action_id: 'rotate-image', params: { angle: '180' } });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json');
      const nodeId = r.json.node_id as string;
      expect(nodeId).toMatch(NODE_ID);
      expect(r.json).toEqual({
        action_id: 'rotate-image',
        canvas_url: canvasUrl(prj),
        node_id: nodeId,
        project_id: prj,
      });
      clock.t += 10;
      const second = await createAction(sim, prj, { action_id: 'concat-text' });
      expect(second.json.node_id).not.toBe(nodeId);
      expect(await nodes(sim, prj)).toEqual([
        {
          node_id: `node_${a.slice('asset_'.length)}`,
          type: 'image',
          asset_id: a,
          url: `https://media.flora.ai/simulator/${a}`,
          label: 'cat.png',
        },
        { node_id: nodeId, type: 'action', action_id: 'rotate-image', label: 'Rotate Image' },
        {
          node_id: second.json.node_id,
          type: 'action',
          action_id: 'concat-text',
          label: 'Concat Text',
        },
      ]);
      const project = await call(sim.url, `/projects/${prj}`);
      expect(project.json.last_modified).toBe(T0 + 20);
      expect(sim.stats().sideEffects.runsCreated).toBe(0);
      expect(sim.credits.get()).toBe(100);
    });
  });

  it('400 input_validation_error listing the fields; 400 invalid_json', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      const empty = await createAction(sim, prj, {});
      expect(empty.status).toBe(400);
      expect(empty.json).toEqual({
        error: {
          code: 'input_validation_error',
          message: 'action_id: Required',
          fields: [{ field: 'action_id', message: 'Required' }],
        },
      });
      const noBody = await call(sim.url, `/projects/${prj}/actions`, { method: 'POST' });
      expect(fieldsOf(noBody)).toEqual(['action_id']);
      const bad = await createAction(sim, prj, { action_id: 'act_Rotate', params: ['x'] });
      expect(bad.json.error.fields).toEqual([
        { field: 'action_id', message: "Expected a raw action slug such as 'rotate-image'." },
        { field: 'params', message: 'Expected object.' },
      ]);
      expect(fieldsOf(await createAction(sim, prj, { action_id: 7 }))).toEqual(['action_id']);
      expect(fieldsOf(await createAction(sim, prj, ['rotate-image']))).toEqual(['body']);
      const json = await call(sim.url, `/projects/${prj}/actions`, { rawBody: '{"action_id":' });
      expect([json.status, json.json.error.code]).toEqual([400, 'invalid_json']);
      expect(await nodes(sim, prj)).toEqual([]);
    });
  });

  it('404 for an unknown action and for a missing or foreign project', async () => {
    await withSim(TWO_KEYS, async (sim, _clock, prj) => {
      const unknown = await call(sim.url, `/projects/${prj}/actions`, {
        body: { action_id: 'no-such-action' },
        apiKey: 'sk_test_a',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.json).toEqual({ error: { code: 'not_found', message: 'Action not found.' } });
      for (const p of [prj, 'prj_missing', 'not-a-project']) {
        const r = await call(sim.url, `/projects/${p}/actions`, {
          body: { action_id: 'rotate-image' },
          apiKey: 'sk_test_b',
        });
        expect([p, r.status, r.json]).toEqual([
          p,
          404,
          { error: { code: 'not_found', message: 'Project not found.' } },
        ]);
      }
      expect(await nodes(sim, prj, 'sk_test_a')).toEqual([]);
    });
  });

  it('honours the Idempotency-Key header: 409 on a repeat, one node, keys scoped per path, failures free the key', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      const body = { action_id: 'rotate-image' };
      const miss = await createAction(sim, prj, { action_id: 'nope' }, keyed('k1'));
      expect(miss.status).toBe(404);
      expect((await createAction(sim, prj, body, keyed('k1'))).status).toBe(200);
      const dup = await createAction(sim, prj, body, keyed('k1'));
      expect(dup.status).toBe(409);
      expect(dup.json).toEqual({
        error: { code: 'idempotency_duplicate', message: 'Duplicate idempotency key.' },
      });
      expect((await createAction(sim, prj, { action_id: 'concat-text' }, keyed('k1'))).status).toBe(409);
      expect(await nodes(sim, prj)).toHaveLength(1);
      const other = await call(sim.url, '/projects', { body: { name: 'q', workspace_id: WS } });
      expect((await createAction(sim, other.json.project_id, body, keyed('k1'))).status).toBe(200);
      expect((await createAction(sim, prj, body, keyed('k2'))).status).toBe(200);
      expect(await nodes(sim, prj)).toHaveLength(2);
      expect(sim.stats().byIdempotencyKey).toEqual({ k1: 5, k2: 1 });
    });
  });
});

describe('POST /projects/{projectId}/actions/{nodeId}/run', () => {
  it('bills the action, answers the start shape and follows the run lifecycle to completed', async () => {
    await withSim({}, async (sim, clock, prj) => {
      const node = (await createAction(sim, prj, { action_id: 'color-grade-image-browser' })).json
        .node_id as string;
      const r = await call(sim.url, `/projects/${prj}/actions/${node}/run`, { method: 'POST' });
      expect(r.status).toBe(200);
      const id = r.json.run_id as string;
      expect(id).toMatch(/^run_[0-9a-f]{24}$/);
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
      expect(sim.credits.get()).toBeCloseTo(100 - 0.01, 9);
      expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 1, creditsCharged: 0.01 });

      const poll = () => call(sim.url, `/runs/${id}`);
      expect((await poll()).json).toEqual({
        run_id: id,
        status: 'pending',
        progress: 0,
        created_at: T0,
        charged_cost: 0.01,
        poll_url: `${sim.url}/runs/${id}`,
      });
      clock.t += 3000;
      expect((await poll()).json).toMatchObject({ status: 'running', progress: 50, started_at: T0 + 1000 });
      expect((await nodes(sim, prj)).map((n) => n.url)).toEqual([undefined]);
      clock.t += 2000;
      const done = await poll();
      expect(done.json).toMatchObject({
        status: 'completed',
        progress: 100,
        completed_at: T0 + 5000,
        outputs: [
          {
            output_id: 'output_1',
            type: 'imageUrl',
            url: `https://media.flora.ai/simulator/${id}/output_1.png`,
          },
        ],
      });
      // The run shows on its action node (its latest output), not as a node of its own.
      expect(await nodes(sim, prj)).toEqual([
        {
          node_id: node,
          type: 'action',
          action_id: 'color-grade-image-browser',
          label: 'Color Grade Image',
          url: `https://media.flora.ai/simulator/${id}/output_1.png`,
        },
      ]);
    });
  });

  it('a seeded failure ends failed with progress 100, like /runs/action runs', async () => {
    await withSim({ runs: { pendingMs: 10, runningMs: 10, failureRate: 1 } }, async (sim, clock, prj) => {
      const node = (await createAction(sim, prj, { action_id: 'rotate-image' })).json.node_id as string;
      const r = await call(sim.url, `/projects/${prj}/actions/${node}/run`, { method: 'POST' });
      clock.t += 20;
      const run = await call(sim.url, `/runs/${r.json.run_id}`);
      expect(run.json).toMatchObject({ status: 'failed', progress: 100, completed_at: T0 + 20 });
      expect(typeof run.json.error_code).toBe('string');
    });
  });

  it('validates optional inputs and params like POST /runs/action', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      const node = (await createAction(sim, prj, { action_id: 'rotate-image' })).json.node_id as string;
      const run = (body: unknown) => call(sim.url, `/projects/${prj}/actions/${node}/run`, { body });
      const ok = await run({
        inputs: [{ type: 'image', url: 'https://x.test/a.png' }],
        params: { angle: '90' },
      });
      expect(ok.status).toBe(200);
      const empty = await run({ inputs: [] });
      expect(empty.json.error).toEqual({
        code: 'input_validation_error',
        message: 'inputs: Array must contain at least 1 element(s).',
        fields: [{ field: 'inputs', message: 'Array must contain at least 1 element(s).' }],
      });
      expect(fieldsOf(await run({ inputs: 'x', params: 3 }))).toEqual(['inputs', 'params']);
      expect(fieldsOf(await run({ inputs: [{ type: 'image', url: 'http://x.test/a.png' }] }))).toEqual([
        'inputs[0].url',
      ]);
      expect(fieldsOf(await run({ inputs: [{ type: 't2i' }] }))).toEqual(['inputs[0].type']);
      const slot = await run({ inputs: [{ type: 'text', text: 'hi' }] });
      expect(slot.status).toBe(400);
      expect(slot.json.error.fields).toEqual([
        { field: 'inputs[0].type', message: "Action 'rotate-image' takes image inputs, not text." },
        {
          field: 'inputs',
          message: "Missing an input of type image for slot 'image' of action 'rotate-image'.",
        },
      ]);
      expect(fieldsOf(await run([1]))).toEqual(['body']);
      expect(sim.stats().sideEffects.runsCreated).toBe(1);
    });
  });

  it('404 for an unknown node, a non-action node, a node of another project, a missing or foreign project', async () => {
    await withSim(TWO_KEYS, async (sim, _clock, prj) => {
      const post = (p: string, n: string, apiKey = 'sk_test_a') =>
        call(sim.url, `/projects/${p}/actions/${n}/run`, { method: 'POST', apiKey });
      const node = (
        await call(sim.url, `/projects/${prj}/actions`, {
          body: { action_id: 'rotate-image' },
          apiKey: 'sk_test_a',
        })
      ).json.node_id as string;
      const a = await asset(sim, {}, 'sk_test_a');
      const attached = (
        await call(sim.url, `/projects/${prj}/assets/${a}/attach`, { method: 'POST', apiKey: 'sk_test_a' })
      ).json.node_id as string;
      const other = (
        await call(sim.url, '/projects', { body: { name: 'q', workspace_id: 'ws_a' }, apiKey: 'sk_test_a' })
      ).json.project_id as string;
      const notNode = { error: { code: 'not_found', message: 'Action node not found.' } };
      const notProject = { error: { code: 'not_found', message: 'Project not found.' } };
      for (const n of ['node_missing', attached]) expect((await post(prj, n)).json).toEqual(notNode);
      const elsewhere = await post(other, node);
      expect([elsewhere.status, elsewhere.json]).toEqual([404, notNode]);
      expect((await post('prj_missing', node)).json).toEqual(notProject);
      const foreign = await post(prj, node, 'sk_test_b');
      expect([foreign.status, foreign.json]).toEqual([404, notProject]);
      expect(sim.stats().sideEffects.runsCreated).toBe(0);
      expect(sim.credits.get('ws_a')).toBe(100);
    });
  });

  it('402 insufficient_credits when the balance cannot cover the action; the key stays free, then 409', async () => {
    await withSim({ credits: 0.0005 }, async (sim, _clock, prj) => {
      const node = (await createAction(sim, prj, { action_id: 'rotate-image' })).json.node_id as string;
      const path = `/projects/${prj}/actions/${node}/run`;
      const poor = await call(sim.url, path, { method: 'POST', headers: keyed('r1') });
      expect(poor.status).toBe(402);
      expect(poor.json).toEqual({
        error: {
          code: 'insufficient_credits',
          message: 'Insufficient credits. available: $0.00, required: $0.00.',
        },
      });
      expect(sim.stats().sideEffects.runsCreated).toBe(0);
      sim.credits.set(WS, 0.0015);
      const paid = await call(sim.url, path, { method: 'POST', headers: keyed('r1') });
      expect(paid.status).toBe(200);
      expect(sim.credits.get()).toBeCloseTo(0.0005, 9);
      const dup = await call(sim.url, path, { method: 'POST', headers: keyed('r1') });
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
      expect(sim.credits.get()).toBeCloseTo(0.0005, 9);
      expect((await call(sim.url, path, { method: 'POST', headers: keyed('r2') })).status).toBe(402);
      expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 1, creditsCharged: 0.001 });
    });
  });
});

describe('POST /projects/{projectId}/assets/{assetId}/attach', () => {
  it('attaches a ready asset as a new node each time and answers { asset_id, canvas_url, node_id, project_id }', async () => {
    await withSim({}, async (sim, clock, prj) => {
      const a = await asset(sim, { content_type: 'video/mp4', file_name: 'clip.mp4' });
      const plain = await asset(sim, { content_type: undefined, file_name: undefined });
      const r = await call(sim.url, `/projects/${prj}/assets/${a}/attach`, { method: 'POST' });
      expect(r.status).toBe(200);
      expect(r.json.node_id).toMatch(NODE_ID);
      expect(r.json).toEqual({
        asset_id: a,
        canvas_url: canvasUrl(prj),
        node_id: r.json.node_id,
        project_id: prj,
      });
      clock.t += 1;
      const again = await call(sim.url, `/projects/${prj}/assets/${a}/attach`, { body: {} });
      expect(again.json.node_id).not.toBe(r.json.node_id);
      clock.t += 1;
      const third = await call(sim.url, `/projects/${prj}/assets/${plain}/attach`, { method: 'POST' });
      expect(await nodes(sim, prj)).toEqual([
        {
          node_id: r.json.node_id,
          type: 'video',
          asset_id: a,
          url: `https://media.flora.ai/simulator/${a}`,
          label: 'clip.mp4',
        },
        {
          node_id: again.json.node_id,
          type: 'video',
          asset_id: a,
          url: `https://media.flora.ai/simulator/${a}`,
          label: 'clip.mp4',
        },
        {
          node_id: third.json.node_id,
          type: 'file',
          asset_id: plain,
          url: `https://media.flora.ai/simulator/${plain}`,
        },
      ]);
      expect((await call(sim.url, `/assets/${a}`)).json.project_id).toBeNull();
      expect(sim.stats().sideEffects.assetsCreated).toBe(2);
    });
  });

  it('404 for an unknown or foreign asset and a missing or foreign project; 409 conflict unless ready', async () => {
    await withSim(TWO_KEYS, async (sim, _clock, prj) => {
      const attach = (p: string, a: string, apiKey = 'sk_test_a') =>
        call(sim.url, `/projects/${p}/assets/${a}/attach`, { method: 'POST', apiKey });
      const mine = await asset(sim, {}, 'sk_test_a');
      const theirs = (
        await call(sim.url, '/assets', {
          body: { source: 'https://x.test/b.png', workspace_id: 'ws_b' },
          apiKey: 'sk_test_b',
        })
      ).json.asset_id as string;
      const notAsset = { error: { code: 'not_found', message: 'Asset not found.' } };
      const notProject = { error: { code: 'not_found', message: 'Project not found.' } };
      for (const a of ['asset_missing', theirs]) {
        const r = await attach(prj, a);
        expect([a, r.status, r.json]).toEqual([a, 404, notAsset]);
      }
      expect((await attach('prj_missing', mine)).json).toEqual(notProject);
      expect((await attach(prj, mine, 'sk_test_b')).json).toEqual(notProject);
      const pending = (
        await call(sim.url, '/assets', {
          body: { source: 'signed-url', workspace_id: 'ws_a' },
          apiKey: 'sk_test_a',
        })
      ).json.asset_id as string;
      const failed = await asset(sim, { source: 'https://down.invalid/x.png' }, 'sk_test_a');
      for (const [a, status] of [
        [pending, 'pending_upload'],
        [failed, 'failed'],
      ] as const) {
        const r = await attach(prj, a);
        expect(r.status).toBe(409);
        expect(r.json).toEqual({
          error: {
            code: 'conflict',
            message: `Asset ${a} is ${status}; only a ready asset can be attached.`,
          },
        });
      }
      expect(
        fieldsOf(
          await call(sim.url, `/projects/${prj}/assets/${mine}/attach`, { body: 'x', apiKey: 'sk_test_a' }),
        ),
      ).toEqual(['body']);
      expect(await nodes(sim, prj, 'sk_test_a')).toEqual([]);
    });
  });

  it('honours the Idempotency-Key header', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      const a = await asset(sim);
      const path = `/projects/${prj}/assets/${a}/attach`;
      expect((await call(sim.url, path, { method: 'POST', headers: keyed('a1') })).status).toBe(200);
      const dup = await call(sim.url, path, { method: 'POST', headers: keyed('a1') });
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
      expect(await nodes(sim, prj)).toHaveLength(1);
    });
  });
});

describe('GET and PATCH /projects/{projectId}/canvas', () => {
  it('GET renders the nodes as a Mermaid flowchart in JSON { canvas_url, diagram, project_id, summary }', async () => {
    await withSim({}, async (sim, clock, prj) => {
      const empty = await call(sim.url, `/projects/${prj}/canvas`);
      expect(empty.status).toBe(200);
      expect(empty.headers['content-type']).toBe('application/json');
      expect(empty.json).toEqual({
        canvas_url: canvasUrl(prj),
        diagram: 'graph LR',
        project_id: prj,
        summary: { node_count: 0, edge_count: 0, group_count: 0, isolated_node_count: 0, workflow_count: 0 },
      });
      const a = await asset(sim, { file_name: 'say "hi".png' });
      const attached = (await call(sim.url, `/projects/${prj}/assets/${a}/attach`, { method: 'POST' })).json
        .node_id;
      clock.t += 1;
      const action = (await createAction(sim, prj, { action_id: 'rotate-image' })).json.node_id;
      const r = await call(sim.url, `/projects/${prj}/canvas`);
      expect(r.json.diagram).toBe(
        [
          'graph LR',
          `  ${attached}["say #quot;hi#quot;.png (Image)"]`,
          `  ${action}["Rotate Image (Action)"]`,
        ].join('\n'),
      );
      expect(r.json.summary).toEqual({
        node_count: 2,
        edge_count: 0,
        group_count: 0,
        isolated_node_count: 2,
        workflow_count: 0,
      });
    });
  });

  it('PATCH adds nodes and edges (also to existing nodes) and answers the applied diagram with real node ids', async () => {
    await withSim({}, async (sim, clock, prj) => {
      const action = (await createAction(sim, prj, { action_id: 'rotate-image' })).json.node_id as string;
      clock.t += 1;
      const diagram = [
        'graph LR',
        '  %% a comment',
        '  source["Product photo (Image)"]',
        '  output["Editorial campaign image (image)"];',
        '  source --> output',
        `  output --> ${action} --> brief[Brief (Text)]`,
      ].join('\n');
      const r = await call(sim.url, `/projects/${prj}/canvas`, {
        method: 'PATCH',
        body: { diagram, node_params: { output: { prompt: 'make it editorial', model: null } } },
      });
      expect(r.status).toBe(200);
      const listed = await nodes(sim, prj);
      expect(listed.map((n) => [n.type, n.label])).toEqual([
        ['action', 'Rotate Image'],
        ['image', 'Product photo'],
        ['image', 'Editorial campaign image'],
        ['text', 'Brief'],
      ]);
      const [, src, out, brief] = listed.map((n) => n.node_id as string);
      for (const id of [src, out, brief]) expect(id).toMatch(NODE_ID);
      expect(r.json).toEqual({
        canvas_url: canvasUrl(prj),
        created_edge_count: 3,
        created_node_count: 3,
        diagram: [
          'graph LR',
          `  ${src}["Product photo (Image)"]`,
          `  ${out}["Editorial campaign image (Image)"]`,
          `  ${brief}["Brief (Text)"]`,
          `  ${src} --> ${out}`,
          `  ${out} --> ${action}`,
          `  ${action} --> ${brief}`,
        ].join('\n'),
        project_id: prj,
      });
      const canvas = await call(sim.url, `/projects/${prj}/canvas`);
      expect(canvas.json.diagram).toBe(
        [
          'graph LR',
          `  ${action}["Rotate Image (Action)"]`,
          `  ${src}["Product photo (Image)"]`,
          `  ${out}["Editorial campaign image (Image)"]`,
          `  ${brief}["Brief (Text)"]`,
          `  ${src} --> ${out}`,
          `  ${out} --> ${action}`,
          `  ${action} --> ${brief}`,
        ].join('\n'),
      );
      expect(canvas.json.summary).toEqual({
        node_count: 4,
        edge_count: 3,
        group_count: 0,
        isolated_node_count: 0,
        workflow_count: 1,
      });

      // Add-only: existing edges and relabels are skipped with warnings; a second workflow appears.
      const again = await call(sim.url, `/projects/${prj}/canvas`, {
        method: 'PATCH',
        body: {
          diagram: `flowchart TD\n  ${src}["Renamed (Image)"] --> ${out}\n  x["Lone (Audio)"]\n  y["Y (Video)"] --> z["Z (Text)"]`,
        },
      });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({
        created_edge_count: 1,
        created_node_count: 3,
        warnings: [
          `Node ${src} is already on the canvas; its label was left unchanged (add-only patch).`,
          `Edge ${src} --> ${out} already exists; skipped.`,
        ],
      });
      const after = await call(sim.url, `/projects/${prj}/canvas`);
      expect(after.json.summary).toEqual({
        node_count: 7,
        edge_count: 4,
        group_count: 0,
        isolated_node_count: 1,
        workflow_count: 2,
      });
      expect((await nodes(sim, prj)).find((n) => n.node_id === src)?.label).toBe('Product photo');
    });
  });

  it('PATCH rejects what it cannot apply with 400 input_validation_error, atomically', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      const action = (await createAction(sim, prj, { action_id: 'rotate-image' })).json.node_id as string;
      const patch = (body: unknown) => call(sim.url, `/projects/${prj}/canvas`, { method: 'PATCH', body });
      // Two passes, like POST /runs/action: the body's shape first, then the diagram against the canvas.
      const missing = await patch({});
      expect(missing.json.error.fields).toEqual([{ field: 'diagram', message: 'Required' }]);
      expect(fieldsOf(await patch({ diagram: '  ', node_params: [] }))).toEqual(['diagram', 'node_params']);
      const header = await patch({ diagram: 'sequenceDiagram\n  a->>b: hi' });
      expect(header.json.error.fields).toEqual([
        { field: 'diagram', message: "line 1: expected a 'graph LR' or 'flowchart <direction>' header." },
        {
          field: 'diagram',
          message:
            "line 2: unsupported statement 'a->>b: hi': an add-only patch takes node declarations and 'a --> b' edges only.",
        },
      ]);
      const diagram = [
        'graph LR',
        '  a["A (Image)"]',
        '  a --> ghost',
        '  b[No type]',
        '  c["C (Action)"]',
        '  a --> a',
        '  a -.-> b',
        '  subgraph g',
        '  a["Other (Image)"]',
      ].join('\n');
      const bad = await patch({
        diagram,
        node_params: {
          a: { prompt: 1, content_url: 'http://x.test', extra: true, model_parameters: 'x' },
          zz: {},
          [action]: {},
          b: 'x',
        },
      });
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe('input_validation_error');
      expect(bad.json.error.fields).toEqual([
        { field: 'node_params.a.prompt', message: 'Expected string or null.' },
        { field: 'node_params.a.content_url', message: 'Expected an https URL.' },
        { field: 'node_params.a.extra', message: 'Unrecognized key.' },
        { field: 'node_params.a.model_parameters', message: 'Expected object or null.' },
        { field: 'node_params.b', message: 'Expected object.' },
      ]);
      const bad2 = await patch({
        diagram,
        node_params: { zz: {}, [action]: {} },
      });
      expect(bad2.json.error.fields).toEqual([
        {
          field: 'diagram',
          message:
            "line 7: unsupported statement 'a -.-> b': an add-only patch takes node declarations and 'a --> b' edges only.",
        },
        {
          field: 'diagram',
          message:
            "line 8: unsupported statement 'subgraph g': an add-only patch takes node declarations and 'a --> b' edges only.",
        },
        { field: 'diagram', message: "line 9: node 'a' is declared twice with different labels." },
        {
          field: 'diagram',
          message: `line 3: node 'ghost' is not on the canvas; declare it as ghost["Label (Image|Video|Audio|Text)"].`,
        },
        {
          field: 'diagram',
          message: "line 4: the label of new node 'b' must end in (Image), (Video), (Audio) or (Text).",
        },
        {
          field: 'diagram',
          message: "line 5: the label of new node 'c' must end in (Image), (Video), (Audio) or (Text).",
        },
        { field: 'node_params.zz', message: "Node 'zz' is not in the diagram." },
        { field: `node_params.${action}`, message: `Node '${action}' is not in the diagram.` },
        { field: 'diagram', message: "line 6: node 'a' cannot connect to itself." },
      ]);
      const existing = await patch({
        diagram: `graph LR\n  ${action} --> n["N (Text)"]`,
        node_params: { [action]: {} },
      });
      expect(existing.json.error.fields).toEqual([
        {
          field: `node_params.${action}`,
          message: `Node '${action}' is already on the canvas; only new nodes take params.`,
        },
      ]);
      expect(fieldsOf(await patch({ diagram: 'graph LR\n  a[x"y]' }))).toEqual(['diagram']);
      expect(await nodes(sim, prj)).toHaveLength(1);
      expect((await call(sim.url, `/projects/${prj}/canvas`)).json.summary.edge_count).toBe(0);
    });
  });

  it('PATCH honours the Idempotency-Key header; both routes 404 a missing or foreign project', async () => {
    await withSim(TWO_KEYS, async (sim, _clock, prj) => {
      const body = { diagram: 'graph LR\n  a["A (Text)"]' };
      const patch = (p: string, key: string, apiKey = 'sk_test_a') =>
        call(sim.url, `/projects/${p}/canvas`, { method: 'PATCH', body, headers: keyed(key), apiKey });
      expect((await patch(prj, 'p1')).status).toBe(200);
      const dup = await patch(prj, 'p1');
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
      expect(await nodes(sim, prj, 'sk_test_a')).toHaveLength(1);
      const notProject = { error: { code: 'not_found', message: 'Project not found.' } };
      for (const [p, apiKey] of [
        ['prj_missing', 'sk_test_a'],
        [prj, 'sk_test_b'],
      ] as const) {
        const r = await patch(p, 'p2', apiKey);
        expect([r.status, r.json]).toEqual([404, notProject]);
        const g = await call(sim.url, `/projects/${p}/canvas`, { apiKey });
        expect([g.status, g.json]).toEqual([404, notProject]);
      }
      expect((await patch(prj, 'p2')).status).toBe(200);
    });
  });
});

describe('the canvas routes go through the common machinery', () => {
  const ROUTES = [
    ['POST', '/projects/prj_x/actions', 'POST /projects/:id/actions'],
    ['POST', '/projects/prj_x/actions/node_x/run', 'POST /projects/:id/actions/:nodeId/run'],
    ['POST', '/projects/prj_x/assets/asset_x/attach', 'POST /projects/:id/assets/:assetId/attach'],
    ['GET', '/projects/prj_x/canvas', 'GET /projects/:id/canvas'],
    ['PATCH', '/projects/prj_x/canvas', 'PATCH /projects/:id/canvas'],
  ] as const;

  it('401 without a key or with a bad key; counted in stats().byRoute under the template', async () => {
    await withSim({}, async (sim) => expectAuthAndStats(sim, ROUTES, [404, 'not_found']));
  });

  it('faults hit by route and by path; 429 when the bucket is empty', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      sim.faults.add({
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        route: 'PATCH /projects/:id/canvas',
        count: 1,
      });
      sim.faults.add({
        kind: 'status',
        status: 500,
        code: 'internal_error',
        path: `/projects/${prj}/actions`,
        count: 1,
      });
      const body = { diagram: 'graph LR\n  a["A (Text)"]' };
      const f = await call(sim.url, `/projects/${prj}/canvas`, {
        method: 'PATCH',
        body,
        headers: keyed('f1'),
      });
      expect([f.status, f.json.error.code]).toEqual([503, 'service_unavailable']);
      // The fault stood in front of the handler: the key is still free and nothing was added.
      expect(
        (await call(sim.url, `/projects/${prj}/canvas`, { method: 'PATCH', body, headers: keyed('f1') }))
          .status,
      ).toBe(200);
      expect((await call(sim.url, `/projects/${prj}/canvas`)).status).toBe(200);
      const every = sim.faults.add({
        kind: 'status',
        status: 502,
        code: 'bad_gateway',
        route: 'PATCH *',
        count: 1,
      });
      expect(every).toEqual(expect.any(String));
      const p = await call(sim.url, `/projects/${prj}/canvas`, { method: 'PATCH', body });
      expect([p.status, p.json.error.code]).toEqual([502, 'bad_gateway']);
      const a = await createAction(sim, prj, { action_id: 'rotate-image' });
      expect([a.status, a.json.error.code]).toEqual([500, 'internal_error']);
      const ok = await createAction(sim, prj, { action_id: 'rotate-image' });
      expect(ok.status).toBe(200);
      expect(
        (await call(sim.url, `/projects/${prj}/actions/${ok.json.node_id}/run`, { method: 'POST' })).status,
      ).toBe(200);
      expect(await nodes(sim, prj)).toHaveLength(2);
    });
    await withSim({ rateLimit: { requestsPerSecond: 1, burst: 1 } }, async (sim, clock, prj) => {
      clock.t += 1000;
      for (const [method, path] of ROUTES) {
        const real = path.replace('prj_x', prj);
        expect((await call(sim.url, '/workspaces')).status).toBe(200);
        const limited = await call(sim.url, real, { method });
        expect([path, limited.status]).toEqual([path, 429]);
        expect(limited.json).toEqual({ error: { code: 'rate_limited', message: 'Rate limit exceeded.' } });
        expect(limited.headers['retry-after']).toBe('1');
        clock.t += 1000;
      }
      expect(sim.stats().byCode).toEqual({ rate_limited: 5 });
    });
  });
});
