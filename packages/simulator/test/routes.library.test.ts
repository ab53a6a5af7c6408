import { SIMULATOR_WORKSPACE_ID, type Simulator } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call } from './http.js';
import { expectAuthAndStats, fieldsOf, keyed, T0, TWO_KEYS, withClockedSim } from './routeFixtures.js';

const withSim = withClockedSim;

const WS = SIMULATOR_WORKSPACE_ID;
const IMG = 'https://example.com/cat.png';

const folders = (ws = WS) => `/workspaces/${ws}/library/folders`;
const createFolder = (sim: Simulator, body: unknown, headers?: Record<string, string>) =>
  call(sim.url, folders(), { body, headers });
const deleteFolder = (sim: Simulator, id: string, headers?: Record<string, string>) =>
  call(sim.url, `${folders()}/${id}`, { method: 'DELETE', headers });
const addItem = (sim: Simulator, id: string, body: unknown, headers?: Record<string, string>) =>
  call(sim.url, `${folders()}/${id}/items`, { body, headers });

describe('POST /workspaces/{ws}/library/folders', () => {
  it('creates a libfolder_ folder with the SDK shape; a missing name gets a generated one', async () => {
    await withSim({}, async (sim) => {
      const r = await createFolder(sim, { name: 'Clips' });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        folder_id: expect.stringMatching(/^libfolder_[0-9a-f]{24}$/),
        name: 'Clips',
        workspace_id: WS,
      });
      const unnamed = await call(sim.url, folders(), { method: 'POST' });
      expect(unnamed.status).toBe(200);
      expect(unnamed.json).toEqual({
        folder_id: expect.stringMatching(/^libfolder_/),
        name: 'Clipped 2023-11-14',
        workspace_id: WS,
      });
      expect(unnamed.json.folder_id).not.toBe(r.json.folder_id);
      // Library folders are not projects.
      expect(sim.stats().sideEffects.projectsCreated).toBe(0);
    });
  });

  it('400 lists a bad name; 400 for a non-object body or a bad ws prefix; 403 for a foreign workspace', async () => {
    await withSim(TWO_KEYS, async (sim) => {
      const a = { apiKey: 'sk_test_a' };
      for (const name of [' ', 7, null, 'x'.repeat(201)]) {
        const r = await call(sim.url, folders('ws_a'), { body: { name }, ...a });
        expect([r.status, r.json.error.code, fieldsOf(r)]).toEqual([400, 'input_validation_error', ['name']]);
      }
      const arr = await call(sim.url, folders('ws_a'), { body: [], ...a });
      expect([arr.status, fieldsOf(arr)]).toEqual([400, ['body']]);
      const badWs = await call(sim.url, folders('a'), { body: { name: 'x' }, ...a });
      expect(badWs.json).toEqual({
        error: {
          code: 'input_validation_error',
          message: "workspace_id: Invalid id: expected a 'ws_' prefixed id.",
          fields: [{ field: 'workspace_id', message: "Invalid id: expected a 'ws_' prefixed id." }],
        },
      });
      const foreign = await call(sim.url, folders('ws_b'), { body: { name: 'x' }, ...a });
      expect([foreign.status, foreign.json.error.code]).toEqual([403, 'forbidden']);
      const ok = await call(sim.url, folders('ws_a'), { body: { name: 'x'.repeat(200) }, ...a });
      expect([ok.status, ok.json.workspace_id]).toEqual([200, 'ws_a']);
    });
  });

  it('the Idempotency-Key header: a repeat is 409 idempotency_duplicate and creates nothing', async () => {
    await withSim({}, async (sim) => {
      const first = await createFolder(sim, { name: 'A' }, keyed('f1'));
      expect(first.status).toBe(200);
      const dup = await createFolder(sim, { name: 'A' }, keyed('f1'));
      expect(dup.status).toBe(409);
      expect(dup.json).toEqual({
        error: { code: 'idempotency_duplicate', message: 'Duplicate idempotency key.' },
      });
      // A failed request does not burn its key.
      expect((await createFolder(sim, { name: '' }, keyed('f2'))).status).toBe(400);
      expect((await createFolder(sim, { name: 'B' }, keyed('f2'))).status).toBe(200);
      expect(sim.stats().byIdempotencyKey).toEqual({ f1: 2, f2: 2 });
    });
  });
});

describe('DELETE /workspaces/{ws}/library/folders/{folderId}', () => {
  it('answers {deleted, folder_id, workspace_id}; a second delete and later adds are 404', async () => {
    await withSim({}, async (sim) => {
      const f = (await createFolder(sim, { name: 'Tmp' })).json.folder_id as string;
      const d = await deleteFolder(sim, f);
      expect(d.status).toBe(200);
      expect(d.json).toEqual({ deleted: true, folder_id: f, workspace_id: WS });
      const again = await deleteFolder(sim, f);
      expect(again.status).toBe(404);
      expect(again.json).toEqual({ error: { code: 'not_found', message: 'Library folder not found.' } });
      const add = await addItem(sim, f, { source: IMG });
      expect([add.status, add.json.error.code]).toEqual([404, 'not_found']);
    });
  });

  it('404 for an unknown or foreign folder; 400 lists bad prefixes; 403 for a foreign workspace', async () => {
    await withSim(TWO_KEYS, async (sim) => {
      const a = { apiKey: 'sk_test_a' };
      const b = { apiKey: 'sk_test_b' };
      const del = (ws: string, id: string, opts: { apiKey: string }) =>
        call(sim.url, `${folders(ws)}/${id}`, { method: 'DELETE', ...opts });
      const fb = (await call(sim.url, folders('ws_b'), { body: { name: 'B' }, ...b })).json.folder_id;
      for (const id of [fb, 'libfolder_nope']) {
        const r = await del('ws_a', id, a);
        expect(r.json).toEqual({ error: { code: 'not_found', message: 'Library folder not found.' } });
        expect(r.status).toBe(404);
      }
      const both = await del('a', 'fld_a', a);
      expect([both.status, fieldsOf(both)]).toEqual([400, ['workspace_id', 'folder_id']]);
      expect(both.json.error.fields[1]).toEqual({
        field: 'folder_id',
        message: "Invalid id: expected a 'libfolder_' prefixed id.",
      });
      const foreign = await del('ws_b', fb, a);
      expect([foreign.status, foreign.json.error.code]).toEqual([403, 'forbidden']);
      // Untouched: its owner can still delete it.
      expect((await del('ws_b', fb, b)).status).toBe(200);
    });
  });

  it('detaches saved items instead of deleting them; the Idempotency-Key header gives 409 on a repeat', async () => {
    await withSim({}, async (sim) => {
      const f = (await createFolder(sim, {})).json.folder_id as string;
      const item = await addItem(sim, f, { source: IMG });
      expect((await deleteFolder(sim, f, keyed('d1'))).status).toBe(200);
      const dup = await deleteFolder(sim, f, keyed('d1'));
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
      // The image's asset outlives the folder.
      const asset = await call(sim.url, `/assets/${item.json.asset_id}`);
      expect([asset.status, asset.json.status]).toEqual([200, 'ready']);
      expect(sim.stats().byCode).toEqual({ idempotency_duplicate: 1 });
    });
  });
});

describe('POST /workspaces/{ws}/library/folders/{folderId}/items', () => {
  it('saves an https image (simulated fetch) as a ready asset; answers the SDK item shape', async () => {
    await withSim({}, async (sim, clock) => {
      const f = (await createFolder(sim, { name: 'Clips' })).json.folder_id as string;
      clock.t += 10;
      const r = await addItem(sim, f, { type: 'image', source: IMG, description: 'a cat' });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        folder_id: f,
        saved_node_id: expect.stringMatching(/^node_[0-9a-f]{24}$/),
        workspace_id: WS,
        asset_id: expect.stringMatching(/^asset_[0-9a-f]{24}$/),
        url: `https://media.flora.ai/simulator/${r.json.asset_id}`,
      });
      const asset = await call(sim.url, `/assets/${r.json.asset_id}`);
      expect(asset.json).toMatchObject({
        asset_id: r.json.asset_id,
        status: 'ready',
        uploaded_via: 'url',
        url: r.json.url,
        workspace_id: WS,
        project_id: null,
        created_at: new Date(T0 + 10).toISOString(),
      });
      // type defaults to image.
      const plain = await addItem(sim, f, { source: 'https://cdn.example.org/a.webp?x=1' });
      expect([plain.status, plain.json.asset_id]).toEqual([200, expect.stringMatching(/^asset_/)]);
      expect(plain.json.saved_node_id).not.toBe(r.json.saved_node_id);
      expect(sim.stats().sideEffects.assetsCreated).toBe(2);
    });
  });

  it('saves a text item: no asset, url null', async () => {
    await withSim({}, async (sim) => {
      const f = (await createFolder(sim, {})).json.folder_id as string;
      const r = await addItem(sim, f, { type: 'text', text: 'a quote' });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        folder_id: f,
        saved_node_id: expect.stringMatching(/^node_/),
        workspace_id: WS,
        url: null,
      });
      expect(sim.stats().sideEffects.assetsCreated).toBe(0);
    });
  });

  it('400 for a missing, non-https or blocked source, a bad type or text; all fields in one error', async () => {
    await withSim({}, async (sim) => {
      const f = (await createFolder(sim, {})).json.folder_id as string;
      for (const [body, fields] of [
        [{}, ['source']],
        [{ source: 'http://example.com/a.png' }, ['source']],
        [{ source: 'ftp://example.com/a.png' }, ['source']],
        [{ source: 'not a url' }, ['source']],
        [{ source: 42 }, ['source']],
        [{ source: 'https://localhost/a.png' }, ['source']],
        [{ source: 'https://127.0.0.1/a.png' }, ['source']],
        [{ source: 'https://169.254.169.254/latest' }, ['source']],
        [{ source: 'https://10.1.2.3/a.png' }, ['source']],
        [{ source: 'https://[::1]/a.png' }, ['source']],
        [{ type: 'video', source: IMG }, ['type']],
        [{ type: 'text' }, ['text']],
        [{ type: 'text', text: ' ' }, ['text']],
        [{ source: 'http://x', description: 5 }, ['description', 'source']],
      ] as const) {
        const r = await addItem(sim, f, body);
        expect([body, r.status, r.json.error.code, fieldsOf(r)]).toEqual([
          body,
          400,
          'input_validation_error',
          fields,
        ]);
      }
      const http = await addItem(sim, f, { source: 'http://example.com/a.png' });
      expect(http.json.error.fields).toEqual([{ field: 'source', message: 'Expected a public https URL.' }]);
      expect(sim.stats().sideEffects.assetsCreated).toBe(0);
    });
  });

  it('404 for an unknown or foreign folder, 400 lists bad prefixes, 403 a foreign workspace', async () => {
    await withSim(TWO_KEYS, async (sim) => {
      const a = { apiKey: 'sk_test_a' };
      const b = { apiKey: 'sk_test_b' };
      const add = (ws: string, id: string, opts: { apiKey: string }) =>
        call(sim.url, `${folders(ws)}/${id}/items`, { body: { source: IMG }, ...opts });
      const fb = (await call(sim.url, folders('ws_b'), { body: {}, ...b })).json.folder_id;
      for (const id of [fb, 'libfolder_nope']) {
        const r = await add('ws_a', id, a);
        expect([r.status, r.json.error.code]).toEqual([404, 'not_found']);
      }
      const both = await add('simulator', 'folder1', a);
      expect([both.status, fieldsOf(both)]).toEqual([400, ['workspace_id', 'folder_id']]);
      const foreign = await add('ws_b', fb, a);
      expect([foreign.status, foreign.json.error.code]).toEqual([403, 'forbidden']);
      expect(sim.stats().sideEffects.assetsCreated).toBe(0);
      expect((await add('ws_b', fb, b)).status).toBe(200);
    });
  });

  it('the Idempotency-Key header saves once: a repeat is 409 and creates no second asset', async () => {
    await withSim({}, async (sim) => {
      const f = (await createFolder(sim, {})).json.folder_id as string;
      expect((await addItem(sim, f, { source: IMG }, keyed('i1'))).status).toBe(200);
      const dup = await addItem(sim, f, { source: IMG }, keyed('i1'));
      expect([dup.status, dup.json.error.code]).toEqual([409, 'idempotency_duplicate']);
      expect(sim.stats().sideEffects.assetsCreated).toBe(1);
      // Keys are scoped by method and path: the same key on another folder is a fresh request.
      const g = (await createFolder(sim, {})).json.folder_id as string;
      expect((await addItem(sim, g, { source: IMG }, keyed('i1'))).status).toBe(200);
    });
  });
});

describe('library routes: auth, stats, faults, rate limit', () => {
  const ROUTES = [
    ['POST', '/workspaces/ws_x/library/folders', 'POST /workspaces/:ws/library/folders'],
    [
      'DELETE',
      '/workspaces/ws_x/library/folders/libfolder_x',
      'DELETE /workspaces/:ws/library/folders/:folderId',
    ],
    [
      'POST',
      '/workspaces/ws_x/library/folders/libfolder_x/items',
      'POST /workspaces/:ws/library/folders/:folderId/items',
    ],
  ] as const;

  it('401 without a key or with a bad key; counted in stats().byRoute under the template', async () => {
    await withSim({}, async (sim) => expectAuthAndStats(sim, ROUTES, [403, 'forbidden']));
  });

  it('faults hit by route template, DELETE * and path, before any side effect', async () => {
    await withSim({}, async (sim) => {
      const f = (await createFolder(sim, {})).json.folder_id as string;
      sim.faults.add({
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        route: 'POST /workspaces/:ws/library/folders/:folderId/items',
        count: 1,
      });
      const failed = await addItem(sim, f, { source: IMG }, keyed('k1'));
      expect([failed.status, failed.json.error.code]).toEqual([503, 'service_unavailable']);
      expect(sim.stats().sideEffects.assetsCreated).toBe(0);
      // The fault stood in front of the handler: the key is still free.
      expect((await addItem(sim, f, { source: IMG }, keyed('k1'))).status).toBe(200);

      sim.faults.add({ kind: 'status', status: 502, code: 'bad_gateway', route: 'DELETE *', count: 1 });
      const del = await deleteFolder(sim, f);
      expect([del.status, del.json.error.code]).toEqual([502, 'bad_gateway']);
      // Not deleted: items can still be added, and the retry deletes it.
      expect((await addItem(sim, f, { type: 'text', text: 't' })).status).toBe(200);
      expect((await deleteFolder(sim, f)).status).toBe(200);

      const g = (await createFolder(sim, {})).json.folder_id as string;
      sim.faults.add({ kind: 'reset', path: `${folders()}/${g}`, count: 1 });
      await expect(addItem(sim, g, { source: IMG })).rejects.toThrow();
      expect((await addItem(sim, g, { source: IMG })).status).toBe(200);

      sim.faults.add({
        kind: 'reset',
        phase: 'after',
        route: 'DELETE /workspaces/:ws/library/folders/:folderId',
        count: 1,
      });
      await expect(deleteFolder(sim, g, keyed('d1'))).rejects.toThrow();
      // The side effect happened and the key is burned.
      expect((await deleteFolder(sim, g, keyed('d1'))).status).toBe(409);
      expect((await deleteFolder(sim, g)).status).toBe(404);
      expect(sim.stats().byRoute['DELETE /workspaces/:ws/library/folders/:folderId']).toBe(5);
    });
  });

  it('accepts DELETE templates and DELETE * in fault specs; refuses an unknown DELETE route', async () => {
    await withSim({}, async (sim) => {
      expect(typeof sim.faults.add({ kind: 'empty', route: 'DELETE *' })).toBe('string');
      expect(() =>
        sim.faults.add({ kind: 'empty', route: 'DELETE /workspaces/:ws/library/folders' }),
      ).toThrow("'PUT *', 'DELETE *' or one of");
    });
  });

  it('429 with retry-after on every library route', async () => {
    await withSim({ rateLimit: { requestsPerSecond: 1, burst: 1 } }, async (sim, clock) => {
      const f = (await createFolder(sim, {})).json.folder_id as string;
      clock.t += 1000;
      for (const [method, path] of ROUTES) {
        const real = path.replace('ws_x', WS).replace('libfolder_x', f);
        expect((await call(sim.url, '/workspaces')).status).toBe(200);
        const limited = await call(sim.url, real, { method, body: method === 'DELETE' ? undefined : {} });
        expect([path, limited.status]).toEqual([path, 429]);
        expect(limited.json).toEqual({ error: { code: 'rate_limited', message: 'Rate limit exceeded.' } });
        expect(limited.headers['retry-after']).toBe('1');
        clock.t += 1000;
      }
      expect(sim.stats().byCode).toEqual({ rate_limited: 3 });
      // Nothing was deleted.
      expect((await deleteFolder(sim, f)).status).toBe(200);
    });
  });
});
