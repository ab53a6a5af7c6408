import { floraErrors } from '@flora-resilience/errors';
import { createFloraMetrics, floraMetrics } from '@flora-resilience/metrics';
import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { Registry } from 'prom-client';
import { labelSets, seriesCount } from './registryReader.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5 });
});
afterAll(async () => {
  await sim.close();
});

describe('cardinality', () => {
  it('10,000 run ids and 10,000 technique slugs produce a bounded number of series', async () => {
    const registry = new Registry();
    const metrics = createFloraMetrics({ registry, maxOperations: 50 });
    const codes = ['GENERATION_PROVIDER_TIMEOUT', 'SOMETHING_NEW', 'ACCESS_X', 'model_timeout'];
    for (let i = 0; i < 10_000; i++) {
      const runId = `run_${i.toString(36)}x${i}`;
      const slug = `technique-${i}`;
      metrics.recordCall({ method: 'GET', operation: `GET /runs/:id`, durationMs: i % 900, status: 200 });
      metrics.recordAttempt({
        method: 'POST',
        operation: `POST /techniques/${slug}/runs`,
        durationMs: 5,
        error: { status: 500, code: `weird_code_${i}`, category: 'server' },
      });
      metrics.recordCall({
        method: 'POST',
        operation: `POST /techniques/${slug}/runs`,
        durationMs: 5,
        error: { status: 500, code: `weird_code_${i}`, category: 'server' },
      });
      metrics.recordRetry({ operation: `POST /techniques/${slug}/runs`, reason: 'server' });
      metrics.recordBreakerTransition({ key: `POST /techniques/${slug}/runs`, from: 'closed', to: 'open' });
      metrics.observeRun({
        run_id: runId,
        status: 'failed',
        error_code: `${codes[i % 4]}${i % 8 === 0 ? i : ''}`,
      });
    }
    const ops = new Set((await labelSets(registry, 'flora_client_calls_total')).map((l) => l.operation));
    expect(ops.size).toBeLessThanOrEqual(51);
    expect(ops.has('_OTHER')).toBe(true);
    const runCodes = new Set(
      (await labelSets(registry, 'flora_client_runs_failed_total')).map((l) => l.code),
    );
    expect([...runCodes].sort()).toEqual([
      'ACCESS_*',
      'GENERATION_PROVIDER_TIMEOUT',
      '_OTHER',
      'model_timeout',
    ]);
    const total = await seriesCount(registry);
    // 51 operations × a handful of label combinations × 19 histogram lines, whatever the input size.
    expect(total).toBeLessThan(6_000);
    const text = await registry.metrics();
    expect(text).not.toMatch(/run_[a-z0-9]/);
    expect(text).not.toContain('technique-9999');
    expect(text).not.toContain('weird_code');
  });

  it('through got: distinct run ids collapse to one route template', async () => {
    const registry = new Registry();
    const api = got.extend(
      { prefixUrl: sim.url, headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` }, retry: { limit: 0 } },
      floraErrors(),
      floraMetrics({ registry }),
    );
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => api.get(`runs/run_missing${i}`).catch(() => undefined)),
    );
    const ops = (await labelSets(registry, 'flora_client_calls_total')).map((l) => l.operation);
    expect(new Set(ops)).toEqual(new Set(['GET /runs/:id']));
  });
});
