import { isCircuitOpenError, isFloraApiError, isFloraError } from '@flora-resilience/errors';
import { createFloraClient, type FloraClient, floraPlugins } from '@flora-resilience/got';
import { getRequestId } from '@flora-resilience/request-id';
import {
  SIMULATOR_API_KEY,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '@flora-resilience/simulator';
import { afterEach, describe, expect, it } from '@jest/globals';
import got from 'got';
import { Registry } from 'prom-client';

let sim: Simulator | undefined;
const clients: FloraClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.flora.dispose();
  await sim?.close();
  sim = undefined;
});

interface Line {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}
function memoryLogger() {
  const lines: Line[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

async function start(options: SimulatorOptions = {}) {
  sim = await startSimulator(options);
  return sim;
}

function client(s: Simulator, options: Parameters<typeof createFloraClient>[0] = {}): FloraClient {
  const c = createFloraClient({ apiKey: SIMULATOR_API_KEY, baseUrl: s.url, env: {}, ...options });
  clients.push(c);
  return c;
}

const RUN = { inputs: [{ id: 'prompt', type: 'text', value: 'a fox' }], mode: 'async' };

describe('createFloraClient', () => {
  it('fails at once with a clear error when no API key is given, sending nothing', async () => {
    const s = await start();
    expect(() => createFloraClient({ baseUrl: s.url, env: {} })).toThrow(
      'createFloraClient: no FLORA API key: pass options.apiKey or set FLORA_API_KEY',
    );
    expect(s.stats().requests).toBe(0);
  });

  it('reads FLORA_API_KEY and FLORA_BASE_URL from the environment', async () => {
    const s = await start();
    const c = createFloraClient({ env: { FLORA_API_KEY: SIMULATOR_API_KEY, FLORA_BASE_URL: s.url } });
    clients.push(c);
    const body = await c.get('workspaces').json<{ workspaces: unknown[] }>();
    expect(body.workspaces.length).toBeGreaterThan(0);
  });

  it('validates its options with precise messages', () => {
    expect(() => createFloraClient({ apiKey: 'Bearer sk_x', env: {} })).toThrow('without whitespace');
    expect(() => createFloraClient({ apiKey: 'k', baseUrl: 'ftp://x', env: {} })).toThrow(
      'options.baseUrl must be an http(s) URL',
    );
    expect(() => createFloraClient({ apiKey: 'k', timeoutMs: -1, env: {} })).toThrow(RangeError);
    expect(() => createFloraClient({ apiKey: 'k', timeoutMs: 5000, deadlineMs: 1000, env: {} })).toThrow(
      'options.timeoutMs (5000) must not exceed options.deadlineMs (1000)',
    );
    expect(() => createFloraClient({ apiKey: 'k', workspaceId: 'bad', env: {} })).toThrow('ws_…');
    // @ts-expect-error unknown option
    expect(() => createFloraClient({ apiKey: 'k', retries: 3, env: {} })).toThrow('unknown option "retries"');
  });

  it('succeeds through the whole stack and exposes the request-id on the response', async () => {
    const s = await start();
    const c = client(s);
    const response = await c.get('techniques/thumbnail-v3');
    expect(response.statusCode).toBe(200);
    expect(getRequestId(response)).toBe(s.stats().attempts.at(-1)?.requestId);
  });

  it('retries a 503 once, logs the retry with its delay and the request-ids, counts it in metrics', async () => {
    const s = await start({
      faults: [
        {
          kind: 'status',
          status: 503,
          code: 'service_unavailable',
          route: 'GET /techniques/:idOrSlug',
          count: 1,
        },
      ],
    });
    const registry = new Registry();
    const { lines, logger } = memoryLogger();
    const c = client(s, { registry, logger, retry: { baseDelayMs: 10, maxDelayMs: 20 } });
    const response = await c.get('techniques/thumbnail-v3');
    expect(response.statusCode).toBe(200);
    const attempts = s.stats().attempts;
    expect(attempts.map((a) => a.status)).toEqual([503, 200]);
    const retryLine = lines.find((l) => l.msg === 'FLORA call failed, retrying');
    expect(retryLine?.level).toBe('warn');
    expect(retryLine?.obj.requestId).toBe(attempts[0]?.requestId);
    expect(typeof retryLine?.obj.delayMs).toBe('number');
    const text = await registry.metrics();
    expect(text).toMatch(/flora_client_retries_total\{[^}]*reason="server"[^}]*\} 1/);
    expect(text).toMatch(/flora_client_calls_total\{[^}]*outcome="success"[^}]*\} 1/);
    expect(text).not.toContain(attempts[0]?.requestId ?? 'req_');
  });

  it('never retries caller errors: one attempt, a FloraApiError with the request-id', async () => {
    const s = await start();
    const c = client(s);
    const error = await c.post('techniques/thumbnail-v3/runs', { json: { inputs: [], mode: 'async' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFloraApiError(error) && [error.status, error.code, error.attempts]).toEqual([
      400,
      'input_validation_error',
      1,
    ]);
    expect(s.stats().requests).toBe(1);
    expect(isFloraError(error) && error.requestId).toBe(s.stats().attempts[0]?.requestId);
  });

  it('creates each technique run exactly once when the connection resets after the side effect', async () => {
    const s = await start({
      faults: [{ kind: 'reset', phase: 'after', route: 'POST /techniques/:slug/runs', probability: 0.3 }],
    });
    const c = client(s, { retry: { baseDelayMs: 5, maxDelayMs: 10, budget: false } });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        c.post('techniques/thumbnail-v3/runs', { json: RUN }).json<{ run_id: string }>(),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(40);
    expect(s.stats().sideEffects.runsCreated).toBe(40);
    expect(new Set(ok.map((r) => (r as PromiseFulfilledResult<{ run_id: string }>).value.run_id)).size).toBe(
      40,
    );
  });

  it('fails at once on retry-after: 3600 instead of sleeping an hour', async () => {
    const s = await start({ rateLimit: { requestsPerSecond: 0.001, burst: 1, retryAfter: 'huge' } });
    const c = client(s);
    await c.get('techniques');
    const started = Date.now();
    const error = await c.get('techniques').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(isFloraApiError(error) && [error.status, error.retryAfterMs]).toEqual([429, 3_600_000]);
  });

  it('opens the breaker on a dead technique and stops sending it traffic; other operations are untouched', async () => {
    const s = await start({
      faults: [
        { kind: 'status', status: 503, code: 'service_unavailable', route: 'GET /techniques/:idOrSlug' },
      ],
    });
    const c = client(s, { retry: false });
    const failures: unknown[] = [];
    for (let i = 0; i < 30; i++) {
      failures.push(
        await c.get('techniques/upscale-4k').then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
    }
    const reached = s.stats().byRoute['GET /techniques/:idOrSlug'] ?? 0;
    expect(reached).toBeLessThanOrEqual(11);
    expect(failures.some((e) => isCircuitOpenError(e))).toBe(true);
    const other = await c.get('workspaces');
    expect(other.statusCode).toBe(200);
  });

  it('warns when the preset is stacked twice on one instance', async () => {
    const s = await start();
    const { lines, logger } = memoryLogger();
    const a = floraPlugins({ apiKey: SIMULATOR_API_KEY, baseUrl: s.url, env: {}, logger });
    const b = floraPlugins({ apiKey: SIMULATOR_API_KEY, baseUrl: s.url, env: {}, logger });
    const stacked = got.extend(...a).extend(...b);
    await stacked.get('workspaces');
    expect(lines.some((l) => l.level === 'warn' && l.obj.kind === 'stacked')).toBe(true);
    a.flora.dispose();
    b.flora.dispose();
  });

  it('warns when a later extend replaces the FLORA retry policy', async () => {
    const s = await start();
    const { lines, logger } = memoryLogger();
    const plugins = floraPlugins({ apiKey: SIMULATOR_API_KEY, baseUrl: s.url, env: {}, logger });
    const overridden = got.extend(...plugins).extend({ retry: { limit: 5, calculateDelay: () => 0 } });
    await overridden.get('workspaces');
    expect(lines.some((l) => l.obj.kind === 'retry_overridden')).toBe(true);
    plugins.flora.dispose();
  });

  it('warns when extending an instance that already retries', async () => {
    const s = await start();
    const { lines, logger } = memoryLogger();
    client(s, { got: got.extend({ retry: { limit: 4 } }), logger });
    expect(lines.some((l) => l.obj.kind === 'instance_retries' && l.obj.limit === 4)).toBe(true);
  });

  it('with retry off, switches got’s own retry off for FLORA calls', async () => {
    const s = await start({
      faults: [{ kind: 'status', status: 503, code: 'service_unavailable', count: 1 }],
    });
    const c = client(s, { retry: false, circuitBreaker: false });
    await expect(c.get('workspaces')).rejects.toMatchObject({ status: 503 });
    expect(s.stats().requests).toBe(1);
  });

  it('works on an existing instance through floraPlugins', async () => {
    const s = await start();
    const plugins = floraPlugins({ apiKey: SIMULATOR_API_KEY, baseUrl: s.url, env: {} });
    const existing = got.extend({ headers: { 'user-agent': 'my-service/1.0' } });
    const flora = existing.extend(...plugins);
    const body = await flora.get('models').json<{ models: unknown[] }>();
    expect(body.models.length).toBeGreaterThan(0);
    plugins.flora.dispose();
  });
});
