// The README's "test of your own" example, kept runnable here.
import {
  SIMULATOR_API_KEY,
  SIMULATOR_WORKSPACE_ID,
  type Simulator,
  startSimulator,
} from '@flora-resilience/simulator';
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import got, { type Got } from 'got';

let sim: Simulator;
let api: Got;

beforeEach(async () => {
  sim = await startSimulator({ port: 0, seed: 1 });
  api = got.extend({
    prefixUrl: sim.url,
    headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
    retry: { limit: 2, methods: ['GET', 'POST'], statusCodes: [429, 500, 502, 503, 504], backoffLimit: 50 },
  });
});

afterEach(async () => {
  await sim.close();
});

it('retries one 503 on create without creating the project twice', async () => {
  sim.faults.add({
    kind: 'status',
    status: 503,
    code: 'service_unavailable',
    route: 'POST /projects',
    count: 1,
  });

  const project = await api
    .post('projects', {
      json: { name: 'launch', workspace_id: SIMULATOR_WORKSPACE_ID },
      headers: { 'idempotency-key': 'launch-1' },
    })
    .json<{ project_id: string }>();

  expect(project.project_id).toMatch(/^prj_/);
  const stats = sim.stats();
  expect(stats.byRoute['POST /projects']).toBe(2);
  expect(stats.byStatus).toEqual({ '200': 1, '503': 1 });
  expect(stats.byIdempotencyKey['launch-1']).toBe(2);
  expect(stats.sideEffects.projectsCreated).toBe(1);
});

it('does not retry a caller error', async () => {
  await expect(api.post('techniques/thumbnail-v3/runs', { json: { inputs: [] } })).rejects.toThrow(/400/);
  expect(sim.stats().requests).toBe(1);
});
