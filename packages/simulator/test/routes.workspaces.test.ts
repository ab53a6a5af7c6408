import { SIMULATOR_WORKSPACE_ID, type Simulator, type SimulatorOptions } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call } from './http.js';
import { expectAuthAndStats, fieldsOf, keyed, T0, TWO_KEYS, withProject } from './routeFixtures.js';

const createInWorkspace = (sim: Simulator, ws: string, apiKey: string | undefined) =>
  call(sim.url, `/workspaces/${ws}/projects`, { body: { name: 'p' }, apiKey });
const withSim = (options: SimulatorOptions, fn: Parameters<typeof withProject>[1]) =>
  withProject(options, fn, createInWorkspace);

const WS = SIMULATOR_WORKSPACE_ID;
const FLD = 'fld_simulator';
const FLUX = 'fal-ai/flux-pro/v1.1';

const base = (prj: string, ws = WS) => `/workspaces/${ws}/projects/${prj}`;
const graph = async (sim: Simulator, prj: string) => {
  const r = await call(sim.url, `${base(prj)}/graph`);
  expect(r.status).toBe(200);
  return r.json;
};
const changeset = (sim: Simulator, prj: string, body: unknown, headers?: Record<string, string>) =>
  call(sim.url, `${base(prj)}/canvas/changeset`, { body, headers });
const runNodes = (sim: Simulator, prj: string, body: unknown, headers?: Record<string, string>) =>
  call(sim.url, `${base(prj)}/nodes/run`, { body, headers });
const putDefinition = (sim: Simulator, prj: string, body: unknown, headers?: Record<string, string>) =>
  call(sim.url, `${base(prj)}/canvas/definition`, { method: 'PUT', body, headers });

describe('POST /workspaces/{ws}/projects and /workspaces/{ws}/folders/{folderId}/projects', () => {
  it('create a project with the POST /projects shape; the folder route files it into a seeded fld_ folder', async () => {
    await withSim({}, async (sim, clock) => {
      clock.t += 5;
      const r = await call(sim.url, `/workspaces/${WS}/projects`, { body: { name: 'Spring' } });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        project_id: expect.stringMatching(/^prj_[0-9a-f]{24}$/),
        name: 'Spring',
        workspace_id: WS,
        created_at: T0 + 5,
        last_modified: T0 + 5,
        origin: 'api',
      });
      const f = await call(sim.url, `/workspaces/${WS}/folders/${FLD}/projects`, { body: { name: 'Filed' } });
      expect(f.status).toBe(200);
      expect(f.json).toMatchObject({ name: 'Filed', workspace_id: WS, origin: 'api' });
      const got = await call(sim.url, `/projects/${f.json.project_id}`);
      expect(got.json).toEqual(f.json);
      const list = await call(sim.url, '/projects?limit=100');
      expect(list.json.projects.map((p: { name: string }) => p.name).sort()).toEqual([
        'Filed',
        'Spring',
        'p',
      ]);
      expect(sim.stats().sideEffects).toMatchObject({ projectsCreated: 2 });
    });
  });

  it('400 for bad prefixes or name; 403 for a foreign workspace; 404 for an unreachable folder', async () => {
    await withSim(TWO_KEYS, async (sim) => {
      const a = { apiKey: 'sk_test_a' };
      const badWs = await call(sim.url, '/workspaces/simulator/projects', { body: { name: 'x' }, ...a });
      expect(badWs.status).toBe(400);
      expect(badWs.json).toEqual({
        error: {
          code: 'input_validation_error',
          message: "workspace_id: Invalid id: expected a 'ws_' prefixed id.",
          fields: [{ field: 'workspace_id', message: "Invalid id: expected a 'ws_' prefixed id." }],
        },
      });
      const badBoth = await call(sim.url, '/workspaces/a/folders/folder1/projects', { body: {}, ...a });
      expect([badBoth.status, fieldsOf(badBoth)]).toEqual([400, ['workspace_id', 'folder_id']]);
      const noName = await call(sim.url, '/workspaces/ws_a/projects', { body: { name: ' ' }, ...a });
      expect([noName.status, fieldsOf(noName)]).toEqual([400, ['name']]);
      const long = await call(sim.url, '/workspaces/ws_a/folders/fld_a/projects', {
        body: { name: 'x'.repeat(201) },
        ...a,
      });
      expect([long.status, fieldsOf(long)]).toEqual([400, ['name']]);
      const foreign = await call(sim.url, '/workspaces/ws_b/projects', { body: { name: 'x' }, ...a });
      expect([foreign.status, foreign.json.error.code]).toEqual([403, 'forbidden']);
      const foreignFolder = await call(sim.url, '/workspaces/ws_b/folders/fld_b/projects', {
        body: { name: 'x' },
        ...a,
      });
      expect(foreignFolder.status).toBe(403);
      // The other workspace's folder, and an unknown one, are both 404 (no disclosure).
      for (const fld of ['fld_b', 'fld_nope']) {
        const r = await call(sim.url, `/workspaces/ws_a/folders/${fld}/projects`, {
          body: { name: 'x' },
          ...a,
        });
        expect(r.json).toEqual({ error: { code: 'not_found', message: 'Folder not found.' } });
        expect(r.status).toBe(404);
      }
      const ok = await call(sim.url, '/workspaces/ws_a/folders/fld_a/projects', {
        body: { name: 'x' },
        ...a,
      });
      expect(ok.status).toBe(200);
      expect(sim.stats().sideEffects).toMatchObject({ projectsCreated: 1 });
    });
  });

  it('honours the Idempotency-Key header: a repeat is 409 idempotency_duplicate and creates nothing', async () => {
    await withSim({}, async (sim) => {
      const path = `/workspaces/${WS}/folders/${FLD}/projects`;
      expect((await call(sim.url, path, { body: { name: 'x' }, headers: keyed('k1') })).status).toBe(200);
      const dup = await call(sim.url, path, { body: { name: 'x' }, headers: keyed('k1') });
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
      // Scoped per path: the same key on the other create route is fresh.
      const other = await call(sim.url, `/workspaces/${WS}/projects`, {
        body: { name: 'x' },
        headers: keyed('k1'),
      });
      expect(other.status).toBe(200);
      expect(sim.stats().sideEffects).toMatchObject({ projectsCreated: 2 });
    });
  });
});

describe('graph, canvas definition and changeset', () => {
  it('graph: nodes and edges of the canvas with an opaque revision that changes only with the canvas', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      const empty = await graph(sim, prj);
      expect(empty).toEqual({
        canvas_url: `https://app.flora.ai/projects/${prj}`,
        edges: [],
        nodes: [],
        project_id: prj,
        revision: expect.stringMatching(/^rev_[0-9a-f]{24}$/),
      });
      expect((await graph(sim, prj)).revision).toBe(empty.revision);
      const cs = await changeset(sim, prj, {
        add: [
          { ref: 'photo', type: 'static_image', content_url: 'https://x.test/cat.png', label: 'Cat' },
          {
            ref: 'gen',
            type: 'image',
            prompt: 'a cat in space',
            params: { aspect_ratio: '16:9' },
            position: { x: 10, y: 20 },
          },
        ],
        connect: [{ from: 'photo', to: 'gen', in: 'image' }],
      });
      expect(cs.status).toBe(200);
      expect(cs.json).toEqual({
        applied: { added: 2, connected: 1, disconnected: 0, removed: 0, updated: 0 },
        canvas_url: `https://app.flora.ai/projects/${prj}`,
        created: {
          photo: { id: 'n1', node_id: expect.stringMatching(/^node_/) },
          gen: { id: 'n2', node_id: expect.stringMatching(/^node_/) },
        },
        project_id: prj,
        revision: expect.stringMatching(/^rev_/),
        warnings: [],
      });
      const g = await graph(sim, prj);
      expect(g.revision).toBe(cs.json.revision);
      expect(g.revision).not.toBe(empty.revision);
      expect(g.edges).toEqual([{ from: 'n1', to: 'n2', in: 'image' }]);
      expect(g.nodes).toEqual([
        {
          id: 'n1',
          action: null,
          label: 'Cat',
          model: null,
          model_id: null,
          node_id: cs.json.created.photo.node_id,
          output_text: null,
          output_url: 'https://x.test/cat.png',
          params: null,
          position: { x: 0, y: 0 },
          prompt: null,
          status: 'done',
          type: 'image',
        },
        {
          id: 'n2',
          action: null,
          label: cs.json.created.gen.node_id,
          model: 'FLUX1.1 [pro]',
          model_id: FLUX,
          node_id: cs.json.created.gen.node_id,
          output_text: null,
          output_url: null,
          params: { aspect_ratio: '16:9' },
          position: { x: 10, y: 20 },
          prompt: 'a cat in space',
          status: 'idle',
          type: 'image',
        },
      ]);
      // The Mermaid view and GET /projects/{id}/nodes see the same canvas.
      const mermaid = await call(sim.url, `/projects/${prj}/canvas`);
      expect(mermaid.json.summary).toMatchObject({ node_count: 2, edge_count: 1, workflow_count: 1 });
    });
  });

  it('changeset: update, disconnect and remove by short id or node_id; warnings for no-ops', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      // A derived node (an asset created in the project) is part of the graph and can be removed.
      const asset = await call(sim.url, '/assets', {
        body: {
          source: 'https://x.test/a.png',
          workspace_id: WS,
          project_id: prj,
          content_type: 'image/png',
        },
      });
      expect(asset.status).toBe(200);
      const cs = await changeset(sim, prj, {
        add: [
          { ref: 'a', type: 'text', prompt: 'hello' },
          { ref: 'b', type: 'video' },
        ],
        connect: [
          { from: 'a', to: 'b' },
          { from: 'a', to: 'b' },
        ],
      });
      expect(cs.json.warnings).toEqual(['Edge a -> b already exists; skipped.']);
      const g1 = await graph(sim, prj);
      expect(g1.nodes.map((n: { id: string; type: string }) => [n.id, n.type])).toEqual([
        ['n3', 'image'],
        ['n1', 'text'],
        ['n2', 'video'],
      ]);
      expect(g1.nodes[2]).toMatchObject({ model_id: 'fal-ai/kling-video/v2/master' });
      const u = await changeset(sim, prj, {
        update: [
          { id: 'n1', label: 'Intro', params: { temperature: 1 }, model: 'openai/gpt-4o' },
          { id: cs.json.created.b.node_id, position: { x: 5, y: 5 } },
        ],
        disconnect: [
          { from: 'n1', to: 'n2' },
          { from: 'n2', to: 'n1' },
        ],
        remove: [{ id: 'n3' }],
      });
      expect(u.status).toBe(200);
      expect(u.json.applied).toEqual({ added: 0, connected: 0, disconnected: 1, removed: 1, updated: 2 });
      expect(u.json.warnings).toEqual(['No edge n2 -> n1 to disconnect.']);
      const g2 = await graph(sim, prj);
      expect(g2.edges).toEqual([]);
      expect(g2.nodes.map((n: { id: string }) => n.id)).toEqual(['n1', 'n2']);
      expect(g2.nodes[0]).toMatchObject({
        label: 'Intro',
        prompt: 'hello',
        params: { temperature: 1 },
        model: 'GPT-4o',
      });
      expect(g2.nodes[1].position).toEqual({ x: 5, y: 5 });
      expect((await call(sim.url, `/projects/${prj}/nodes`)).json.nodes).toHaveLength(2);
      const same = await changeset(sim, prj, { update: [{ id: 'n1', label: 'Intro' }] });
      expect(same.json.applied.updated).toBe(0);
      expect(same.json.warnings).toEqual(['Update of node n1 matches its current state.']);
      expect(same.json.revision).toBe(g2.revision);
    });
  });

  it('changeset is atomic: every invalid operation is listed in fields with a code, and nothing applies', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      await changeset(sim, prj, { add: [{ ref: 'x', type: 'image' }] });
      const before = await graph(sim, prj);
      const r = await changeset(sim, prj, {
        add: [
          { ref: 'ok', type: 'image', prompt: 'fine' },
          { ref: 'ok', type: 'image' },
          { ref: 'n1', type: 'sticker' },
          { ref: 'g', type: 'group' },
          { ref: 's', type: 'static_image', content_url: 'http://x.test/a.png', prompt: 'p' },
          { ref: 'm', type: 'video', model: FLUX },
        ],
        update: [{ id: 'n9', label: 'y' }],
        connect: [
          { from: 'ok', to: 'ok' },
          { from: 'ok', to: 'nowhere' },
        ],
        remove: [{ id: 'n1', extra: 1 }],
        rename: [],
      });
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('input_validation_error');
      expect(r.json.error.fields).toEqual([
        { field: 'rename', message: 'Unrecognized key.', code: 'unrecognized_key' },
        { field: 'add[1].ref', message: "Ref 'ok' is declared twice.", code: 'duplicate_ref' },
        {
          field: 'add[2].ref',
          message: "Ref 'n1' collides with a live node id.",
          code: 'ref_collides_with_node',
        },
        { field: 'add[2].type', message: expect.stringContaining('Expected'), code: 'invalid_value' },
        {
          field: 'add[3].type',
          message: "Node type 'group' is not modelled by the simulator.",
          code: 'unsupported_node_type',
        },
        { field: 'add[4].content_url', message: 'Expected an https URL.', code: 'invalid_value' },
        {
          field: 'add[4].prompt',
          message: 'prompt is mutually exclusive with content_url.',
          code: 'mutually_exclusive',
        },
        {
          field: 'add[5].model',
          message: `Model '${FLUX}' generates image, not video.`,
          code: 'model_type_mismatch',
        },
        { field: 'update[0].id', message: "No node 'n9' on this canvas.", code: 'node_not_found' },
        { field: 'connect[0]', message: "Node 'ok' cannot connect to itself.", code: 'self_connection' },
        {
          field: 'connect[1].to',
          message: "No node or ref 'nowhere' on this canvas.",
          code: 'node_not_found',
        },
        { field: 'remove[0].extra', message: 'Unrecognized key.', code: 'unrecognized_key' },
      ]);
      expect(await graph(sim, prj)).toEqual(before);
      const notArray = await changeset(sim, prj, { add: {} });
      expect(notArray.json.error.fields).toEqual([
        { field: 'add', message: 'Expected array.', code: 'invalid_type' },
      ]);
      // Other routes keep the spec's { field, message } items.
      const other = await call(sim.url, `/workspaces/${WS}/projects`, { body: {} });
      expect(other.json.error.fields).toEqual([{ field: 'name', message: 'Required' }]);
    });
  });

  it('canvas definition: GET the JSON definition, PUT replaces it atomically (derived nodes leave the canvas)', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      await call(sim.url, '/generate', {
        body: { type: 'image', prompt: 'p', workspace_id: WS, project_id: prj },
      });
      await changeset(sim, prj, { add: [{ ref: 't', type: 'text', prompt: 'hi', label: 'Note' }] });
      const got = await call(sim.url, `${base(prj)}/canvas/definition`);
      expect(got.status).toBe(200);
      const runNode = got.json.definition.nodes[0];
      const textNode = got.json.definition.nodes[1];
      expect(got.json).toEqual({
        canvas_url: `https://app.flora.ai/projects/${prj}`,
        definition: {
          edges: [],
          node_inputs: { [textNode.id]: { prompt: 'hi', model: 'openai/gpt-4o' } },
          node_outputs: {},
          nodes: [
            { id: runNode.id, data: { label: FLUX }, position: { x: 0, y: 0 }, type: 'emptyImageBlock' },
            { id: textNode.id, data: { label: 'Note' }, position: { x: 320, y: 0 }, type: 'textBlock' },
          ],
        },
        project_id: prj,
        summary: { node_count: 2, edge_count: 0, group_count: 0, isolated_node_count: 2, workflow_count: 0 },
      });
      const definition = {
        nodes: [
          { id: 'hero', type: 'staticImageBlock', data: { label: 'Hero' }, position: { x: 1, y: 2 } },
          { id: 'vid', type: 'videoBlock', data: {} },
        ],
        edges: [{ id: 'e1', source: 'hero', target: 'vid', source_handle: null, target_handle: 'image' }],
        node_inputs: { vid: { prompt: 'pan left', model: 'fal-ai/kling-video/v2/master' } },
        node_outputs: { hero: { url: 'https://x.test/hero.png' } },
      };
      const put = await putDefinition(sim, prj, { definition }, keyed('d1'));
      expect(put.status).toBe(200);
      expect(put.json.definition).toEqual({
        edges: [{ id: 'e1', source: 'hero', source_handle: null, target: 'vid', target_handle: 'image' }],
        node_inputs: { vid: { prompt: 'pan left', model: 'fal-ai/kling-video/v2/master' } },
        node_outputs: { hero: { url: 'https://x.test/hero.png' } },
        nodes: [
          { id: 'hero', data: { label: 'Hero' }, position: { x: 1, y: 2 }, type: 'staticImageBlock' },
          { id: 'vid', data: {}, position: { x: 320, y: 0 }, type: 'videoBlock' },
        ],
      });
      expect(put.json.summary).toMatchObject({ node_count: 2, edge_count: 1, workflow_count: 1 });
      const g = await graph(sim, prj);
      expect(g.nodes.map((n: { node_id: string }) => n.node_id)).toEqual(['hero', 'vid']);
      expect(g.edges).toEqual([{ from: g.nodes[0].id, to: g.nodes[1].id, in: 'image' }]);
      expect((await call(sim.url, `${base(prj)}/canvas/definition`)).json.definition).toEqual(
        put.json.definition,
      );
      // The PUT honours the Idempotency-Key header like every mutation.
      const dup = await putDefinition(sim, prj, { definition }, keyed('d1'));
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
    });
  });

  it('PUT definition: 400 listing every bad field, nothing replaced', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      await changeset(sim, prj, { add: [{ ref: 't', type: 'text' }] });
      const before = await graph(sim, prj);
      const missing = await putDefinition(sim, prj, { definition: { nodes: [] } });
      expect(fieldsOf(missing)).toEqual([
        'definition.edges',
        'definition.node_inputs',
        'definition.node_outputs',
      ]);
      const r = await putDefinition(sim, prj, {
        definition: {
          nodes: [
            { id: 'a', type: 'textBlock', data: {} },
            { id: 'a', type: 'textBlock', data: {} },
            { id: '1x', type: 'group', data: {} },
          ],
          edges: [{ id: 'e', source: 'a', target: 'zz', source_handle: null, target_handle: null }],
          node_inputs: { a: { model: 'nope' }, ghost: {} },
          node_outputs: { a: { url: 'ftp://x' } },
        },
      });
      expect(r.status).toBe(400);
      expect(fieldsOf(r)).toEqual([
        'definition.nodes[1].id',
        'definition.nodes[2].id',
        'definition.nodes[2].type',
        'definition.node_inputs.a.model',
        'definition.node_inputs.ghost',
        'definition.node_outputs.a.url',
        'definition.edges[0].target',
      ]);
      expect(await graph(sim, prj)).toEqual(before);
    });
  });

  it('404 for a missing or foreign project, 403 for a foreign workspace, 400 for bad path ids', async () => {
    await withSim(TWO_KEYS, async (sim, _clock, prj) => {
      const b = await call(sim.url, '/workspaces/ws_b/projects', {
        body: { name: 'b' },
        apiKey: 'sk_test_b',
      });
      const paths = [
        ['GET', 'graph'],
        ['GET', 'canvas/definition'],
        ['PUT', 'canvas/definition'],
        ['POST', 'canvas/changeset'],
        ['POST', 'nodes/run'],
      ] as const;
      for (const [method, tail] of paths) {
        const o = { method, apiKey: 'sk_test_a', body: method === 'GET' ? undefined : {} };
        const foreignPrj = await call(sim.url, `/workspaces/ws_a/projects/${b.json.project_id}/${tail}`, o);
        expect([tail, foreignPrj.status, foreignPrj.json.error]).toEqual([
          tail,
          404,
          { code: 'not_found', message: 'Project not found.' },
        ]);
        const missing = await call(sim.url, `/workspaces/ws_a/projects/prj_nope/${tail}`, o);
        expect([tail, missing.status]).toEqual([tail, 404]);
        const foreignWs = await call(sim.url, `/workspaces/ws_b/projects/${prj}/${tail}`, o);
        expect([tail, foreignWs.status, foreignWs.json.error.code]).toEqual([tail, 403, 'forbidden']);
        const bad = await call(sim.url, `/workspaces/a/projects/p1/${tail}`, o);
        expect([tail, bad.status, fieldsOf(bad)]).toEqual([tail, 400, ['workspace_id', 'project_id']]);
      }
    });
  });
});

describe('POST /workspaces/{ws}/projects/{prj}/nodes/run', () => {
  it('bills each started node immediately; skips with reasons; runs follow the run lifecycle on the node', async () => {
    await withSim({}, async (sim, clock, prj) => {
      await changeset(sim, prj, {
        add: [
          { ref: 'img', type: 'image', prompt: 'a cat', model: FLUX },
          { ref: 'static', type: 'image', content_url: 'https://x.test/a.png' },
        ],
      });
      // A Mermaid-patch node carries no model: no_model_configured.
      await call(sim.url, `/projects/${prj}/canvas`, {
        method: 'PATCH',
        body: { diagram: 'graph LR\n  t["Bare (Text)"]' },
      });
      const action = await call(sim.url, `/projects/${prj}/actions`, { body: { action_id: 'rotate-image' } });
      const g = await graph(sim, prj);
      const bare = g.nodes[2].id;
      const r = await runNodes(sim, prj, { node_ids: ['n1', 'n2', bare, action.json.node_id, 'n99', 'n1'] });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        project_id: prj,
        runs: [
          {
            node_id: 'n1',
            status: 'started',
            run_id: expect.stringMatching(/^run_/),
            poll_url: expect.stringMatching(/\/api\/v1\/runs\/run_/),
            type: 'generation',
            model: { model_id: FLUX },
            charged_cost: 0.04,
            estimated_seconds: 10,
          },
          { node_id: 'n2', status: 'skipped', reason: 'node_not_executable', message: expect.any(String) },
          {
            node_id: bare,
            status: 'skipped',
            reason: 'no_model_configured',
            message: 'The node has no model set.',
          },
          {
            node_id: action.json.node_id,
            status: 'skipped',
            reason: 'node_not_executable',
            message: expect.any(String),
          },
          { node_id: 'n99', status: 'skipped', reason: 'node_not_found', message: expect.any(String) },
          {
            node_id: 'n1',
            status: 'skipped',
            reason: 'generation_already_running',
            message: expect.any(String),
          },
        ],
      });
      expect(sim.credits.get()).toBeCloseTo(100 - 0.04, 9);
      expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 1, creditsCharged: 0.04 });
      const runId = r.json.runs[0].run_id;
      expect((await graph(sim, prj)).nodes[0].status).toBe('generating');
      clock.t += 5000;
      const run = await call(sim.url, `/runs/${runId}`);
      expect(run.json).toMatchObject({ run_id: runId, status: 'completed', charged_cost: 0.04 });
      const done = (await graph(sim, prj)).nodes[0];
      expect(done).toMatchObject({ status: 'done', output_url: run.json.outputs[0].url });
      // The node runs again once its generation is over.
      const again = await runNodes(sim, prj, { node_ids: [done.node_id] });
      expect(again.json.runs[0]).toMatchObject({ node_id: done.node_id, status: 'started' });
    });
  });

  it('credits are not checked up front: the run fails with BILLING_NOT_ENOUGH_CREDITS (no 402, no charge)', async () => {
    await withSim({ credits: 0.05 }, async (sim, clock, prj) => {
      await changeset(sim, prj, {
        add: [
          { ref: 'a', type: 'image' },
          { ref: 'b', type: 'image' },
        ],
      });
      const r = await runNodes(sim, prj, { node_ids: ['n1', 'n2'] });
      expect(r.status).toBe(200);
      expect(r.json.runs.map((x: { status: string }) => x.status)).toEqual(['started', 'started']);
      expect(sim.credits.get()).toBeCloseTo(0.01, 9);
      clock.t += 5000;
      const poor = await call(sim.url, `/runs/${r.json.runs[1].run_id}`);
      expect(poor.json).toMatchObject({
        status: 'failed',
        charged_cost: 0,
        error_code: 'BILLING_NOT_ENOUGH_CREDITS',
        error_message: 'Insufficient credits. available: $0.01, required: $0.04.',
      });
      expect((await graph(sim, prj)).nodes[1]).toMatchObject({
        status: 'error',
        error_code: 'BILLING_NOT_ENOUGH_CREDITS',
      });
      expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 2, creditsCharged: 0.04 });
    });
  });

  it('400 for an empty, oversized or malformed node_ids; the Idempotency-Key header bills once', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      for (const [body, field] of [
        [{}, 'node_ids'],
        [{ node_ids: [] }, 'node_ids'],
        [{ node_ids: Array.from({ length: 51 }, (_, i) => `n${i}`) }, 'node_ids'],
        [{ node_ids: ['n1', 7] }, 'node_ids[1]'],
        [{ node_ids: ['n1'], force: true }, 'force'],
      ] as const) {
        const r = await runNodes(sim, prj, body);
        expect([r.status, r.json.error.code, fieldsOf(r)]).toEqual([400, 'input_validation_error', [field]]);
      }
      await changeset(sim, prj, { add: [{ ref: 'a', type: 'image' }] });
      expect((await runNodes(sim, prj, { node_ids: ['n1'] }, keyed('r1'))).status).toBe(200);
      const dup = await runNodes(sim, prj, { node_ids: ['n1'] }, keyed('r1'));
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
      expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 1, creditsCharged: 0.04 });
      const cs1 = await changeset(sim, prj, { add: [{ ref: 'b', type: 'text' }] }, keyed('c1'));
      expect(cs1.status).toBe(200);
      const cs2 = await changeset(sim, prj, { add: [{ ref: 'b', type: 'text' }] }, keyed('c1'));
      expect(cs2.status).toBe(409);
      expect((await graph(sim, prj)).nodes).toHaveLength(2);
    });
  });
});

describe('workspace routes: auth, stats, faults, rate limit', () => {
  const ROUTES = [
    ['POST', '/workspaces/ws_x/projects', 'POST /workspaces/:ws/projects'],
    ['POST', '/workspaces/ws_x/folders/fld_x/projects', 'POST /workspaces/:ws/folders/:folderId/projects'],
    ['GET', '/workspaces/ws_x/projects/prj_x/graph', 'GET /workspaces/:ws/projects/:prj/graph'],
    [
      'GET',
      '/workspaces/ws_x/projects/prj_x/canvas/definition',
      'GET /workspaces/:ws/projects/:prj/canvas/definition',
    ],
    [
      'PUT',
      '/workspaces/ws_x/projects/prj_x/canvas/definition',
      'PUT /workspaces/:ws/projects/:prj/canvas/definition',
    ],
    [
      'POST',
      '/workspaces/ws_x/projects/prj_x/canvas/changeset',
      'POST /workspaces/:ws/projects/:prj/canvas/changeset',
    ],
    ['POST', '/workspaces/ws_x/projects/prj_x/nodes/run', 'POST /workspaces/:ws/projects/:prj/nodes/run'],
  ] as const;

  it('401 without a key or with a bad key; counted in stats().byRoute under the template', async () => {
    await withSim({}, async (sim) => expectAuthAndStats(sim, ROUTES, [403, 'forbidden']));
  });

  it('faults hit by route (incl. PUT *) and by path, before any side effect; 429 with retry-after', async () => {
    await withSim({}, async (sim, _clock, prj) => {
      await changeset(sim, prj, { add: [{ ref: 'a', type: 'image' }] });
      sim.faults.add({
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        route: 'POST /workspaces/:ws/projects/:prj/nodes/run',
        count: 1,
      });
      const f = await runNodes(sim, prj, { node_ids: ['n1'] }, keyed('f1'));
      expect([f.status, f.json.error.code]).toEqual([503, 'service_unavailable']);
      expect(sim.credits.get()).toBe(100);
      // The fault stood in front of the handler: the key is still free.
      expect((await runNodes(sim, prj, { node_ids: ['n1'] }, keyed('f1'))).status).toBe(200);
      sim.faults.add({ kind: 'status', status: 502, code: 'bad_gateway', route: 'PUT *', count: 1 });
      const put = await putDefinition(sim, prj, {
        definition: { nodes: [], edges: [], node_inputs: {}, node_outputs: {} },
      });
      expect([put.status, put.json.error.code]).toEqual([502, 'bad_gateway']);
      expect((await graph(sim, prj)).nodes).toHaveLength(1);
      sim.faults.add({ kind: 'reset', path: `${base(prj)}/graph`, count: 1 });
      await expect(call(sim.url, `${base(prj)}/graph`)).rejects.toThrow();
      expect((await call(sim.url, `${base(prj)}/graph`)).status).toBe(200);
    });
    await withSim({ rateLimit: { requestsPerSecond: 1, burst: 1 } }, async (sim, clock, prj) => {
      clock.t += 1000;
      for (const [method, path] of ROUTES) {
        const real = path.replace('ws_x', WS).replace('prj_x', prj).replace('fld_x', FLD);
        expect((await call(sim.url, '/workspaces')).status).toBe(200);
        const limited = await call(sim.url, real, { method, body: {} });
        expect([path, limited.status]).toEqual([path, 429]);
        expect(limited.json).toEqual({ error: { code: 'rate_limited', message: 'Rate limit exceeded.' } });
        expect(limited.headers['retry-after']).toBe('1');
        clock.t += 1000;
      }
      expect(sim.stats().byCode).toEqual({ rate_limited: 7 });
    });
  });
});
