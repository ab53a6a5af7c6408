import { SIMULATOR_WORKSPACE_ID } from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call } from './http.js';
import { T0, withClockedSim } from './routeFixtures.js';

const withSim = withClockedSim;

const WS = SIMULATOR_WORKSPACE_ID;
const NESTED_BODY = { mode: 'async', inputs: [{ id: 'prompt', type: 'text', value: 'a cat' }] };

async function project(url: string, name = 'p', apiKey?: string, ws = WS): Promise<string> {
  const r = await call(url, '/projects', { body: { name, workspace_id: ws }, apiKey });
  expect(r.status).toBe(200);
  return r.json.project_id as string;
}

async function generate(url: string, projectId: string, type = 'image'): Promise<string> {
  const r = await call(url, '/generate', {
    body: { type, prompt: 'x', workspace_id: WS, project_id: projectId },
  });
  expect(r.status).toBe(200);
  return r.json.run_id as string;
}

/** Every page of a list, following `next_cursor` until it is null. */
async function allPages(url: string, path: string, key: string, limit: number) {
  const pages: { ids: string[]; next: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const q = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await call(url, q);
    expect(r.status).toBe(200);
    cursor = r.json.meta.next_cursor;
    pages.push({ ids: r.json[key].map((x: Record<string, string>) => Object.values(x)[0]), next: cursor });
  } while (cursor !== null && pages.length < 50);
  return pages;
}

const fieldsOf = (r: { json: { error: { fields: { field: string }[] } } }) =>
  r.json.error.fields.map((f) => f.field);

describe('GET /generations', () => {
  it('lists generation runs newest first with generation_id, project_id, workspace_id and model', async () => {
    await withSim({}, async (sim, clock) => {
      const prj = await project(sim.url);
      const a = await generate(sim.url, prj, 'image');
      clock.t += 10;
      const b = await generate(sim.url, prj, 'video');
      clock.t += 10;
      // Technique runs are not generations.
      await call(sim.url, '/techniques/thumbnail-v3/runs', { body: NESTED_BODY });
      clock.t = T0 + 1005; // a: running (1005 ms old), b: pending (995 ms old)
      const r = await call(sim.url, '/generations');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.json.meta).toEqual({ next_cursor: null, total_estimate: 2 });
      expect(r.json.generations.map((g: { run_id: string }) => g.run_id)).toEqual([b, a]);
      expect(r.json.generations[1]).toEqual({
        run_id: a,
        generation_id: a,
        status: 'running',
        progress: 1,
        created_at: T0,
        started_at: T0 + 1000,
        charged_cost: 0.04,
        poll_url: `${sim.url}/runs/${a}`,
        project_id: prj,
        workspace_id: WS,
        model: { model_id: 'fal-ai/flux-pro/v1.1' },
      });
      expect(r.json.generations[0]).toMatchObject({
        status: 'pending',
        model: { model_id: 'fal-ai/kling-video/v2/master' },
      });
    });
  });

  it('paginates with a cursor: two pages, the last one with next_cursor null', async () => {
    await withSim({}, async (sim, clock) => {
      const prj = await project(sim.url);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(await generate(sim.url, prj));
        clock.t += 1;
      }
      const first = await call(sim.url, '/generations?limit=3');
      expect(first.json.generations).toHaveLength(3);
      expect(typeof first.json.meta.next_cursor).toBe('string');
      expect(first.json.meta.total_estimate).toBe(5);
      const second = await call(
        sim.url,
        `/generations?limit=3&cursor=${encodeURIComponent(first.json.meta.next_cursor)}`,
      );
      expect(second.json.generations).toHaveLength(2);
      expect(second.json.meta.next_cursor).toBeNull();
      const seen = [...first.json.generations, ...second.json.generations].map(
        (g: { generation_id: string }) => g.generation_id,
      );
      expect(seen).toEqual([...ids].reverse());
      expect((await allPages(sim.url, '/generations', 'generations', 2)).map((p) => p.ids.length)).toEqual([
        2, 2, 1,
      ]);
    });
  });

  it('filters by workspace_id, project_id and status (as of the simulator clock)', async () => {
    await withSim({ runs: { pendingMs: 0, runningMs: 100 } }, async (sim, clock) => {
      const p1 = await project(sim.url, 'one');
      const p2 = await project(sim.url, 'two');
      const a = await generate(sim.url, p1);
      clock.t += 100;
      const b = await generate(sim.url, p2);
      const ids = async (q: string) =>
        (await call(sim.url, `/generations${q}`)).json.generations.map((g: { run_id: string }) => g.run_id);
      expect(await ids(`?project_id=${p1}`)).toEqual([a]);
      expect(await ids(`?project_id=${p2}`)).toEqual([b]);
      expect(await ids('?project_id=prj_nothing')).toEqual([]);
      expect(await ids('?status=completed')).toEqual([a]);
      expect(await ids('?status=running')).toEqual([b]);
      expect(await ids('?status=failed')).toEqual([]);
      expect(await ids(`?workspace_id=${WS}&status=running&project_id=${p2}`)).toEqual([b]);
      const other = await call(sim.url, '/generations?workspace_id=ws_other');
      expect(other.status).toBe(403);
      expect(other.json.error.code).toBe('forbidden');
    });
  });

  it('400 input_validation_error with fields for a bad limit, cursor or filter', async () => {
    await withSim({}, async (sim) => {
      for (const limit of ['0', '101', '2.5', 'ten', '-1']) {
        const r = await call(sim.url, `/generations?limit=${limit}`);
        expect([limit, r.status]).toEqual([limit, 400]);
        expect(r.json).toEqual({
          error: {
            code: 'input_validation_error',
            message: 'limit: Expected an integer between 1 and 100.',
            fields: [{ field: 'limit', message: 'Expected an integer between 1 and 100.' }],
          },
        });
      }
      for (const limit of ['1', '100'])
        expect((await call(sim.url, `/generations?limit=${limit}`)).status).toBe(200);
      const cursor = await call(sim.url, '/generations?cursor=not-a-cursor');
      expect(cursor.status).toBe(400);
      expect(cursor.json.error.fields).toEqual([{ field: 'cursor', message: 'Invalid cursor.' }]);
      const filters = await call(sim.url, '/generations?workspace_id=simulator&project_id=p1&status=done');
      expect(filters.status).toBe(400);
      expect(filters.json.error.code).toBe('input_validation_error');
      expect(filters.json.error.fields).toEqual([
        { field: 'workspace_id', message: "Invalid id: expected a 'ws_' prefixed id." },
        { field: 'project_id', message: "Invalid id: expected a 'prj_' prefixed id." },
        { field: 'status', message: 'Expected one of pending, running, completed, failed.' },
      ]);
    });
  });

  it("shows only the key's workspace", async () => {
    await withSim({ apiKeys: { sk_test_a: 'ws_a', sk_test_b: 'ws_b' } }, async (sim) => {
      const prj = await project(sim.url, 'a', 'sk_test_a', 'ws_a');
      const r = await call(sim.url, '/generate', {
        apiKey: 'sk_test_a',
        body: { type: 'text', prompt: 'x', workspace_id: 'ws_a', project_id: prj },
      });
      expect(r.status).toBe(200);
      expect((await call(sim.url, '/generations', { apiKey: 'sk_test_a' })).json.generations).toHaveLength(1);
      expect((await call(sim.url, '/generations', { apiKey: 'sk_test_b' })).json).toEqual({
        generations: [],
        meta: { next_cursor: null, total_estimate: 0 },
      });
    });
  });
});

describe('GET /technique-runs', () => {
  it('lists nested and top-level technique runs with technique_run_id and technique', async () => {
    await withSim({}, async (sim, clock) => {
      const prj = await project(sim.url);
      const nested = (await call(sim.url, '/techniques/thumbnail-v3/runs', { body: NESTED_BODY })).json
        .run_id;
      clock.t += 5;
      const top = await call(sim.url, '/runs/technique', {
        body: {
          technique_id: 'tech_upscale_4k',
          workspace_id: WS,
          project_id: prj,
          inputs: { image: 'https://x.test/a.png' },
        },
      });
      await generate(sim.url, prj); // not a technique run
      clock.t = T0 + 5004; // nested: completed; top: running (3999 of 4000 ms)
      const r = await call(sim.url, '/technique-runs');
      expect(r.status).toBe(200);
      expect(r.json.meta).toEqual({ next_cursor: null, total_estimate: 2 });
      expect(r.json.technique_runs[0]).toEqual({
        run_id: top.json.run_id,
        technique_run_id: top.json.run_id,
        status: 'running',
        progress: 99,
        created_at: T0 + 5,
        started_at: T0 + 1005,
        charged_cost: 0.2,
        poll_url: `${sim.url}/runs/${top.json.run_id}`,
        technique: { name: 'Upscale 4K', technique_id: 'tech_upscale_4k' },
        project_id: prj,
        workspace_id: WS,
      });
      expect(r.json.technique_runs[1]).toMatchObject({
        run_id: nested,
        technique_run_id: nested,
        status: 'completed',
        technique: { name: 'Thumbnail v3', technique_id: 'tech_thumbnail_v3' },
        project_id: null,
        workspace_id: WS,
      });
      const byTechnique = await call(sim.url, '/technique-runs?technique_id=tech_thumbnail_v3');
      expect(byTechnique.json.technique_runs.map((t: { run_id: string }) => t.run_id)).toEqual([nested]);
      const byProject = await call(sim.url, `/technique-runs?project_id=${prj}&status=running`);
      expect(byProject.json.technique_runs.map((t: { run_id: string }) => t.run_id)).toEqual([
        top.json.run_id,
      ]);
    });
  });

  it('paginates with a cursor and validates limit, cursor, technique_id and status', async () => {
    await withSim({}, async (sim, clock) => {
      for (let i = 0; i < 3; i++) {
        await call(sim.url, '/techniques/thumbnail-v3/runs', { body: NESTED_BODY });
        clock.t += 1;
      }
      const pages = await allPages(sim.url, '/technique-runs', 'technique_runs', 2);
      expect(pages.map((p) => p.ids.length)).toEqual([2, 1]);
      expect(typeof pages[0]!.next).toBe('string');
      expect(pages[1]!.next).toBeNull();
      expect(new Set(pages.flatMap((p) => p.ids)).size).toBe(3);

      expect(fieldsOf(await call(sim.url, '/technique-runs?limit=101'))).toEqual(['limit']);
      expect(fieldsOf(await call(sim.url, '/technique-runs?cursor=zzzz'))).toEqual(['cursor']);
      const bad = await call(sim.url, '/technique-runs?technique_id=thumbnail-v3&status=queued');
      expect(bad.status).toBe(400);
      expect(bad.json.error.fields).toEqual([
        { field: 'technique_id', message: "Invalid id: expected a 'tech_' prefixed id." },
        { field: 'status', message: 'Expected one of pending, running, completed, failed.' },
      ]);
      expect((await call(sim.url, '/technique-runs?workspace_id=ws_elsewhere')).status).toBe(403);
    });
  });
});

describe('GET /assets', () => {
  it('lists assets with created_at as a number (GET /assets/{id} keeps the ISO string)', async () => {
    await withSim({}, async (sim, clock) => {
      const prj = await project(sim.url);
      const a = await call(sim.url, '/assets', {
        body: {
          source: 'https://x.test/cat.png',
          workspace_id: WS,
          content_type: 'image/png',
          file_name: 'cat.png',
        },
      });
      clock.t += 1;
      const b = await call(sim.url, '/assets', {
        body: { source: 'signed-url', workspace_id: WS, project_id: prj, file_name: 'dog.mp4' },
      });
      const r = await call(sim.url, '/assets');
      expect(r.status).toBe(200);
      expect(r.json.meta).toEqual({ next_cursor: null, total_estimate: 2 });
      expect(r.json.assets.map((x: { asset_id: string }) => x.asset_id)).toEqual([
        b.json.asset_id,
        a.json.asset_id,
      ]);
      expect(r.json.assets[1]).toEqual({ ...a.json, created_at: T0 });
      expect(r.json.assets[0]).toMatchObject({
        status: 'pending_upload',
        created_at: T0 + 1,
        project_id: prj,
      });
      expect(typeof r.json.assets[0].created_at).toBe('number');
      const one = await call(sim.url, `/assets/${a.json.asset_id}`);
      expect(one.json.created_at).toBe(new Date(T0).toISOString());

      const ids = async (q: string) =>
        (await call(sim.url, `/assets${q}`)).json.assets.map((x: { asset_id: string }) => x.asset_id);
      expect(await ids(`?project_id=${prj}`)).toEqual([b.json.asset_id]);
      expect(await ids('?query=CAT')).toEqual([a.json.asset_id]);
      expect(await ids(`?workspace_id=${WS}&limit=1`)).toEqual([b.json.asset_id]);
    });
  });

  it('paginates with a cursor and validates its query', async () => {
    await withSim({}, async (sim) => {
      for (let i = 0; i < 3; i++) {
        await call(sim.url, '/assets', { body: { source: 'signed-url', workspace_id: WS } });
      }
      const pages = await allPages(sim.url, '/assets', 'assets', 2);
      expect(pages.map((p) => p.ids.length)).toEqual([2, 1]);
      expect(pages[1]!.next).toBeNull();
      expect(new Set(pages.flatMap((p) => p.ids)).size).toBe(3);
      expect(fieldsOf(await call(sim.url, '/assets?limit=0'))).toEqual(['limit']);
      expect(fieldsOf(await call(sim.url, '/assets?cursor=%%%'))).toEqual(['cursor']);
      expect(fieldsOf(await call(sim.url, '/assets?workspace_id=x&project_id=y'))).toEqual([
        'workspace_id',
        'project_id',
      ]);
      expect((await call(sim.url, '/assets?workspace_id=ws_other')).status).toBe(403);
    });
  });
});

describe('GET /projects/{id}/nodes', () => {
  it("lists the project's assets and runs as nodes, oldest first, paginated", async () => {
    await withSim({ runs: { pendingMs: 0, runningMs: 10 } }, async (sim, clock) => {
      const prj = await project(sim.url);
      const other = await project(sim.url, 'other');
      const asset = await call(sim.url, '/assets', {
        body: {
          source: 'https://x.test/cat.png',
          workspace_id: WS,
          project_id: prj,
          content_type: 'image/png',
          file_name: 'cat.png',
        },
      });
      clock.t += 1;
      const run = await generate(sim.url, prj, 'video');
      clock.t += 1;
      await generate(sim.url, other);
      const pending = await call(sim.url, `/projects/${prj}/nodes`);
      expect(pending.status).toBe(200);
      expect(pending.json).toEqual({
        nodes: [
          {
            node_id: `node_${asset.json.asset_id.slice('asset_'.length)}`,
            type: 'image',
            asset_id: asset.json.asset_id,
            url: asset.json.url,
            label: 'cat.png',
          },
          {
            node_id: `node_${run.slice('run_'.length)}`,
            type: 'video',
            label: 'fal-ai/kling-video/v2/master',
          },
        ],
        meta: { next_cursor: null, total_estimate: 2 },
      });
      clock.t += 10; // the video run completed: its node gets the output URL
      const done = await call(sim.url, `/projects/${prj}/nodes?limit=1`);
      expect(done.json.nodes).toHaveLength(1);
      expect(typeof done.json.meta.next_cursor).toBe('string');
      const last = await call(
        sim.url,
        `/projects/${prj}/nodes?limit=1&cursor=${encodeURIComponent(done.json.meta.next_cursor)}`,
      );
      expect(last.json.nodes).toEqual([
        {
          node_id: `node_${run.slice('run_'.length)}`,
          type: 'video',
          label: 'fal-ai/kling-video/v2/master',
          url: `https://media.flora.ai/simulator/${run}/output_1.mp4`,
        },
      ]);
      expect(last.json.meta.next_cursor).toBeNull();
    });
  });

  it('404 for a missing or foreign project; 400 for a bad limit or cursor', async () => {
    await withSim({ apiKeys: { sk_test_a: 'ws_a', sk_test_b: 'ws_b' } }, async (sim) => {
      const prj = await project(sim.url, 'a', 'sk_test_a', 'ws_a');
      expect((await call(sim.url, `/projects/${prj}/nodes`, { apiKey: 'sk_test_a' })).json).toEqual({
        nodes: [],
        meta: { next_cursor: null, total_estimate: 0 },
      });
      for (const path of [`/projects/${prj}/nodes`, '/projects/prj_missing/nodes']) {
        const r = await call(sim.url, path, { apiKey: 'sk_test_b' });
        expect(r.status).toBe(404);
        expect(r.json).toEqual({ error: { code: 'not_found', message: 'Project not found.' } });
      }
      const limit = await call(sim.url, `/projects/${prj}/nodes?limit=500`, { apiKey: 'sk_test_a' });
      expect(limit.status).toBe(400);
      expect(fieldsOf(limit)).toEqual(['limit']);
      expect(
        fieldsOf(await call(sim.url, `/projects/${prj}/nodes?cursor=x`, { apiKey: 'sk_test_a' })),
      ).toEqual(['cursor']);
    });
  });
});

describe('the list routes go through the common machinery', () => {
  const LISTS = ['/generations', '/technique-runs', '/assets', '/projects/prj_x/nodes'] as const;

  it('401 without a key or with a bad key', async () => {
    await withSim({}, async (sim) => {
      for (const path of LISTS) {
        const none = await call(sim.url, path, { apiKey: null });
        expect([path, none.status, none.json.error.code]).toEqual([path, 401, 'unauthorized']);
        const bad = await call(sim.url, path, { apiKey: 'sk_live_nope' });
        expect([path, bad.status, bad.json.error.code]).toEqual([path, 401, 'invalid_api_key']);
      }
    });
  });

  it('stats().byRoute counts each template; faults hit by route and by path; 429 when the bucket is empty', async () => {
    await withSim({}, async (sim) => {
      const prj = await project(sim.url);
      sim.resetStats();
      await call(sim.url, '/generations');
      await call(sim.url, '/generations?limit=0');
      await call(sim.url, '/technique-runs');
      await call(sim.url, '/assets');
      await call(sim.url, `/projects/${prj}/nodes`);
      await call(sim.url, '/projects/prj_missing/nodes');
      expect(sim.stats().byRoute).toEqual({
        'GET /generations': 2,
        'GET /technique-runs': 1,
        'GET /assets': 1,
        'GET /projects/:id/nodes': 2,
      });

      sim.faults.add({
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        route: 'GET /generations',
        count: 1,
      });
      sim.faults.add({ kind: 'status', status: 500, code: 'internal_error', path: '/assets', count: 1 });
      const g = await call(sim.url, '/generations');
      expect([g.status, g.json.error.code]).toEqual([503, 'service_unavailable']);
      expect((await call(sim.url, '/generations')).status).toBe(200);
      expect((await call(sim.url, '/technique-runs')).status).toBe(200);
      expect((await call(sim.url, '/assets')).status).toBe(500);
      expect((await call(sim.url, '/assets')).status).toBe(200);
    });
    await withSim({ rateLimit: { requestsPerSecond: 1, burst: 1 } }, async (sim) => {
      expect((await call(sim.url, '/technique-runs')).status).toBe(200);
      const limited = await call(sim.url, '/generations');
      expect(limited.status).toBe(429);
      expect(limited.json).toEqual({ error: { code: 'rate_limited', message: 'Rate limit exceeded.' } });
      expect(limited.headers['retry-after']).toBe('1');
      expect(sim.stats().byCode).toEqual({ rate_limited: 1 });
    });
  });
});
