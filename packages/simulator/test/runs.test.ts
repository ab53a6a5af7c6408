import {
  RUN_ERROR_VOCABULARIES,
  SIMULATOR_WORKSPACE_ID,
  type SimulatorOptions,
  startSimulator,
} from '@flora-resilience/simulator';
import { describe, expect, it } from '@jest/globals';
import { call } from './http.js';

const RUN_BODY = { mode: 'async', inputs: [{ id: 'prompt', type: 'text', value: 'a cat' }] };

async function withClock(
  options: SimulatorOptions,
  fn: (url: string, clock: { t: number }) => Promise<void>,
) {
  const clock = { t: 1_700_000_000_000 };
  const sim = await startSimulator({
    now: () => clock.t,
    runs: { pendingMs: 1000, runningMs: 4000 },
    ...options,
  });
  try {
    await fn(sim.url, clock);
  } finally {
    await sim.close();
  }
}

describe('run lifecycle on the simulator clock', () => {
  it('pending → running → completed', async () => {
    await withClock({}, async (url, clock) => {
      const t0 = clock.t;
      const created = await call(url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY });
      const id = created.json.run_id as string;
      expect(id).toMatch(/^run_/);
      expect(created.json).toEqual({
        run_id: id,
        status: 'pending',
        progress: 0,
        created_at: t0,
        charged_cost: 0.05,
        poll_url: `${url}/techniques/thumbnail-v3/runs/${id}`,
      });
      clock.t = t0 + 999;
      expect((await call(url, `/runs/${id}`)).json.status).toBe('pending');
      clock.t = t0 + 1000;
      const running = (await call(url, `/techniques/thumbnail-v3/runs/${id}`)).json;
      expect(running).toMatchObject({ status: 'running', progress: 1, started_at: t0 + 1000 });
      clock.t = t0 + 3000;
      expect((await call(url, `/runs/${id}`)).json.progress).toBe(50);
      clock.t = t0 + 5000;
      const done = (await call(url, `/runs/${id}`)).json;
      expect(done).toEqual({
        run_id: id,
        status: 'completed',
        progress: 100,
        created_at: t0,
        started_at: t0 + 1000,
        completed_at: t0 + 5000,
        charged_cost: 0.05,
        poll_url: `${url}/techniques/thumbnail-v3/runs/${id}`,
        outputs: [
          {
            output_id: 'output_1',
            type: 'imageUrl',
            url: `https://media.flora.ai/simulator/${id}/output_1.png`,
          },
        ],
      });
    });
  });

  it.each(['docs', 'spec', 'production'] as const)(
    'failed runs (%s vocabulary) have progress 100 and completed_at',
    async (vocab) => {
      await withClock(
        { runs: { failureRate: 1, errorVocabulary: vocab, pendingMs: 10, runningMs: 20 } },
        async (url, clock) => {
          const codes = new Set(RUN_ERROR_VOCABULARIES[vocab].map((e) => e.code));
          for (let i = 0; i < 5; i++) {
            const id = (await call(url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY })).json.run_id;
            clock.t += 30;
            const run = (await call(url, `/runs/${id}`)).json;
            expect(run).toMatchObject({ status: 'failed', progress: 100, completed_at: clock.t });
            expect(codes.has(run.error_code)).toBe(true);
            expect(typeof run.error_message).toBe('string');
            clock.t -= 30;
          }
        },
      );
    },
  );

  it('production vocabulary carries the moderation trap', () => {
    const trap = RUN_ERROR_VOCABULARIES.production.filter((e) => e.code === 'GPU_PROVIDER_ERROR');
    expect(trap.some((e) => /safety/i.test(e.message))).toBe(true);
    expect(RUN_ERROR_VOCABULARIES.spec).toEqual([
      { code: 'provider_error', message: 'The provider failed to complete the generation.' },
    ]);
    expect(RUN_ERROR_VOCABULARIES.docs.map((e) => e.code)).toEqual([
      'model_timeout',
      'safety_blocked',
      'input_unreachable',
      'internal_error',
    ]);
  });

  it('a custom vocabulary and a seeded failure rate are deterministic', async () => {
    const outcomes = async (seed: number) => {
      const out: string[] = [];
      await withClock(
        {
          seed,
          runs: {
            failureRate: 0.5,
            errorVocabulary: [{ code: 'X', message: 'x' }],
            pendingMs: 0,
            runningMs: 0,
          },
        },
        async (url) => {
          for (let i = 0; i < 24; i++) {
            const id = (await call(url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY })).json.run_id;
            const run = (await call(url, `/runs/${id}`)).json;
            out.push(run.status === 'failed' ? run.error_code : 'ok');
          }
        },
      );
      return out;
    };
    const a = await outcomes(7);
    expect(await outcomes(7)).toEqual(a);
    expect(await outcomes(8)).not.toEqual(a);
    expect(a).toContain('X');
    expect(a).toContain('ok');
  });

  it("casing: 'camel' rewrites run bodies", async () => {
    await withClock(
      { casing: 'camel', runs: { failureRate: 1, errorVocabulary: 'spec', pendingMs: 0, runningMs: 10 } },
      async (url, clock) => {
        const created = (await call(url, '/techniques/thumbnail-v3/runs', { body: RUN_BODY })).json;
        expect(Object.keys(created).sort()).toEqual([
          'chargedCost',
          'createdAt',
          'pollUrl',
          'progress',
          'runId',
          'startedAt',
          'status',
        ]);
        clock.t += 10;
        const failed = (await call(url, `/runs/${created.runId}`)).json;
        expect(failed).toMatchObject({
          status: 'failed',
          errorCode: 'provider_error',
          completedAt: clock.t,
          progress: 100,
        });
        // Non-run bodies stay snake_case.
        expect((await call(url, '/techniques/thumbnail-v3')).json.technique_id).toBe('tech_thumbnail_v3');
      },
    );
  });
});

describe('run creation routes', () => {
  it('POST /runs/technique and POST /generate answer the start shape; only GET /runs/{id} finds them', async () => {
    await withClock({}, async (url) => {
      const project = (
        await call(url, '/projects', { body: { name: 'p', workspace_id: SIMULATOR_WORKSPACE_ID } })
      ).json;
      const start = await call(url, '/runs/technique', {
        body: {
          technique_id: 'tech_upscale_4k',
          workspace_id: SIMULATOR_WORKSPACE_ID,
          inputs: { image: 'https://x.test/a.png' },
        },
      });
      expect(start.json).toEqual({
        run_id: start.json.run_id,
        type: 'technique',
        charged_cost: 0.2,
        estimated_seconds: 5,
        poll_url: `${url}/runs/${start.json.run_id}`,
        project_id: null,
        model: null,
        technique: { name: 'Upscale 4K', technique_id: 'tech_upscale_4k' },
        action: null,
      });
      expect((await call(url, `/runs/${start.json.run_id}`)).status).toBe(200);
      expect((await call(url, `/techniques/upscale-4k/runs/${start.json.run_id}`)).status).toBe(404);

      const gen = await call(url, '/generate', {
        body: {
          type: 'video',
          prompt: 'waves',
          workspace_id: SIMULATOR_WORKSPACE_ID,
          project_id: project.project_id,
        },
      });
      expect(gen.json).toMatchObject({
        type: 'generation',
        charged_cost: 1.4,
        estimated_seconds: 120,
        project_id: project.project_id,
        model: { model_id: 'fal-ai/kling-video/v2/master' },
        technique: null,
      });
      const badModel = await call(url, '/generate', {
        body: {
          type: 'image',
          prompt: 'x',
          model: 'dall-e',
          workspace_id: SIMULATOR_WORKSPACE_ID,
          project_id: project.project_id,
        },
      });
      expect(badModel.json.error.fields[0].field).toBe('model');
      const slugAsId = await call(url, '/runs/technique', {
        body: {
          technique_id: 'upscale-4k',
          workspace_id: SIMULATOR_WORKSPACE_ID,
          inputs: { image: 'https://x.test/a.png' },
        },
      });
      expect(slugAsId.json.error.fields).toEqual([
        { field: 'technique_id', message: "Invalid id: expected a 'tech_' prefixed id." },
      ]);
      const unknownInput = await call(url, '/runs/technique', {
        body: {
          technique_id: 'tech_upscale_4k',
          workspace_id: SIMULATOR_WORKSPACE_ID,
          inputs: { image: 'https://x.test/a.png', mask: 'm' },
        },
      });
      expect(unknownInput.json.error.fields).toEqual([
        { field: 'inputs.mask', message: "Unknown input id 'mask' for technique upscale-4k." },
      ]);
      const missingProject = await call(url, '/generate', {
        body: { type: 'image', prompt: 'x', workspace_id: SIMULATOR_WORKSPACE_ID, project_id: 'prj_missing' },
      });
      expect(missingProject.status).toBe(404);
    });
  });

  it('runs are workspace-scoped', async () => {
    await withClock({ apiKeys: { sk_test_a: 'ws_a', sk_test_b: 'ws_b' } }, async (url) => {
      const id = (await call(url, '/techniques/thumbnail-v3/runs', { apiKey: 'sk_test_a', body: RUN_BODY }))
        .json.run_id;
      expect((await call(url, `/runs/${id}`, { apiKey: 'sk_test_a' })).status).toBe(200);
      expect((await call(url, `/runs/${id}`, { apiKey: 'sk_test_b' })).status).toBe(404);
    });
  });
});
