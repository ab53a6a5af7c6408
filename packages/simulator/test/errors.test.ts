import { connect } from 'node:net';
import { SIMULATOR_WORKSPACE_ID, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { call } from './http.js';

const RUN_BODY = { mode: 'async', inputs: [{ id: 'prompt', type: 'text', value: 'a cat' }] };

describe('error families', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ maxBodyBytes: 4096, credits: 0.1 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('401 unauthorized without an Authorization header, 401 invalid_api_key for a bad key', async () => {
    const none = await call(sim.url, '/techniques', { apiKey: null });
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('unauthorized');
    expect(none.headers['content-type']).toBe('application/json');
    for (const bad of ['sk_live_nope', 'Bearer sk_test_flora_simulator', ' ']) {
      const r = await call(sim.url, '/techniques', { apiKey: bad });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: { code: 'invalid_api_key', message: 'Invalid API key.' } });
    }
    const notBearer = await call(sim.url, '/techniques', {
      apiKey: null,
      headers: { authorization: 'Basic abc' },
    });
    expect(notBearer.json.error.code).toBe('invalid_api_key');
  });

  it('400 invalid_json for a body that does not parse', async () => {
    const r = await call(sim.url, '/techniques/thumbnail-v3/runs', { rawBody: '{"mode":' });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      error: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
    });
  });

  it('400 input_validation_error lists every rejected field', async () => {
    const r = await call(sim.url, '/techniques/thumbnail-v3/runs', { body: { inputs: [] } });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      error: {
        code: 'input_validation_error',
        message: 'mode: Required; inputs: Array must contain at least 1 element(s).',
        fields: [
          { field: 'mode', message: 'Required' },
          { field: 'inputs', message: 'Array must contain at least 1 element(s).' },
        ],
      },
    });
    const unknown = await call(sim.url, '/techniques/thumbnail-v3/runs', {
      body: {
        mode: 'async',
        inputs: [
          { id: 'prompt', type: 'text', value: 'x' },
          { id: 'style', type: 'text', value: 'y' },
        ],
      },
    });
    expect(unknown.json.error.fields).toEqual([
      { field: 'inputs[1].id', message: "Unknown input id 'style' for technique thumbnail-v3." },
    ]);
    const extra = await call(sim.url, '/techniques/thumbnail-v3/runs', {
      body: { ...RUN_BODY, workspace_id: 'ws_x' },
    });
    expect(extra.json.error.fields).toEqual([{ field: 'workspace_id', message: 'Unrecognized key.' }]);
    const bare = await call(sim.url, '/projects', { body: { name: 'p', workspace_id: 'simulator' } });
    expect(bare.status).toBe(400);
    expect(bare.json.error.fields).toEqual([
      { field: 'workspace_id', message: "Invalid id: expected a 'ws_' prefixed id." },
    ]);
    const t2i = await call(sim.url, '/generate', {
      body: { type: 't2i', prompt: 'x', workspace_id: SIMULATOR_WORKSPACE_ID, project_id: 'prj_x' },
    });
    expect(t2i.json.error.fields).toEqual([
      { field: 'type', message: "Expected 'image', 'video', 'audio' or 'text'." },
    ]);
  });

  it('404 not_found for unknown slugs, ids and routes', async () => {
    const paths = [
      '/techniques/nope',
      '/techniques/nope/runs/run_x',
      '/runs/run_missing',
      '/assets/asset_missing',
      '/projects/prj_missing',
      '/no-such-route',
      '/techniques/%E0%A4%A',
    ];
    for (const path of paths) {
      const r = await call(sim.url, path);
      expect([path, r.status, r.json.error.code]).toEqual([path, 404, 'not_found']);
    }
    const outside = await call(sim.origin, '/elsewhere');
    expect(outside.status).toBe(404);
    const post = await call(sim.url, '/techniques/nope/runs', { body: RUN_BODY });
    expect(post.status).toBe(404);
  });

  it('403 forbidden for a well-formed workspace that is not the key’s', async () => {
    const r = await call(sim.url, '/projects', { body: { name: 'p', workspace_id: 'ws_other' } });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('forbidden');
  });

  it('409 conflict on a wrong asset state', async () => {
    const signed = await call(sim.url, '/assets', {
      body: { source: 'signed-url', workspace_id: SIMULATOR_WORKSPACE_ID },
    });
    expect(signed.json.status).toBe('pending_upload');
    const id = signed.json.asset_id as string;
    expect((await call(sim.url, `/assets/${id}/retry`, { method: 'POST' })).json.error.code).toBe('conflict');
    const done = await call(sim.url, `/assets/${id}/complete`, { method: 'POST' });
    expect(done.json.status).toBe('ready');
    const again = await call(sim.url, `/assets/${id}/complete`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('conflict');
    const failed = await call(sim.url, '/assets', {
      body: { source: 'https://cdn.example.invalid/a.png', workspace_id: SIMULATOR_WORKSPACE_ID },
    });
    expect(failed.json).toMatchObject({
      status: 'failed',
      failure_message: 'The source URL could not be fetched.',
    });
    const retried = await call(sim.url, `/assets/${failed.json.asset_id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(200);
    expect(retried.json.status).toBe('pending_upload');
    expect(
      (await call(sim.url, `/assets/${failed.json.asset_id}/complete`, { method: 'POST' })).json.status,
    ).toBe('ready');
  });

  it('402 insufficient_credits once the workspace balance cannot cover a run', async () => {
    expect((await call(sim.url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY })).status).toBe(200);
    expect((await call(sim.url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY })).status).toBe(200);
    const broke = await call(sim.url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY });
    expect(broke.status).toBe(402);
    expect(broke.json.error.code).toBe('insufficient_credits');
    expect(broke.json.error.message).toContain('available: $0.00');
    expect(sim.credits.get()).toBe(0);
    expect(sim.stats().sideEffects).toMatchObject({ runsCreated: 2, creditsCharged: 0.1 });
    sim.credits.set(SIMULATOR_WORKSPACE_ID, 1);
    expect(
      (
        await call(sim.url, '/techniques/upscale-4k/runs', {
          body: { mode: 'async', inputs: [{ id: 'image', type: 'imageUrl', value: 'https://x.test/a.png' }] },
        })
      ).status,
    ).toBe(200);
    expect(sim.credits.get()).toBe(0.8);
  });

  it('413 with an envelope for a body over the cap', async () => {
    const r = await call(sim.url, '/projects', {
      rawBody: JSON.stringify({ name: 'x'.repeat(5000), workspace_id: 'ws_simulator' }),
    });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('payload_too_large');
    expect((await call(sim.url, '/workspaces')).status).toBe(200);
  });

  it('puts a unique request-id on every response, errors included', async () => {
    const ids = new Set<string>();
    for (const path of ['/techniques', '/nope', '/models', '/models']) {
      const r = await call(sim.url, path);
      expect(r.headers['request-id']).toMatch(/^req_[0-9a-f]{24}$/);
      ids.add(r.headers['request-id'] as string);
    }
    const noAuth = await call(sim.url, '/models', { apiKey: null });
    ids.add(noAuth.headers['request-id'] as string);
    expect(ids.size).toBe(5);
    expect(sim.stats().attempts.map((a) => a.requestId)).toEqual([...ids]);
  });

  it('survives hostile input: deep JSON, non-object bodies, malformed HTTP', async () => {
    const deep = await call(sim.url, '/projects', { rawBody: '['.repeat(3000) });
    expect(deep.json.error.code).toBe('invalid_json');
    const arr = await call(sim.url, '/projects', { body: [1, 2] });
    expect(arr.json.error.fields).toEqual([{ field: 'body', message: 'Expected an object.' }]);
    const raw = await new Promise<string>((resolve) => {
      const s = connect(sim.port, '127.0.0.1', () => s.write('BLAH / HTTP/9.9\r\n\r\n'));
      let text = '';
      s.on('data', (d) => {
        text += d.toString();
      });
      s.on('close', () => resolve(text));
      s.on('error', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await call(sim.url, '/workspaces')).status).toBe(200);
  });
});
