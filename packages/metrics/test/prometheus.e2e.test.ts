// A real Prometheus scrapes a real workload's /metrics, and every query of the shipped dashboard must
// return data; the shipped alert rules must load. Skipped only off CI on a machine without Prometheus.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { floraErrors } from '@flora-resilience/errors';
import {
  type BreakerStateChange,
  createFloraMetrics,
  type FloraMetrics,
  floraMetrics,
  instrumentBreakers,
} from '@flora-resilience/metrics';
import { SIMULATOR_API_KEY, type Simulator, startSimulator } from '@flora-resilience/simulator';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got, { type Got } from 'got';
import { Registry } from 'prom-client';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const RULES = join(pkg, 'alerts', 'flora-client.rules.yml');
// `npm test` installs Debian's prometheus first (scripts/setup.mjs): a missing binary is a failure, not a skip.
const run = describe;

interface Panel {
  title: string;
  targets: { expr: string }[];
}

/** The dashboard's PromQL with Grafana's template variables filled in as a user's "All" would. */
const substitute = (expr: string): string =>
  expr.replaceAll('$__rate_interval', '1m').replace(/\$\{?(?:operation|job)\}?/g, '.*');

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

run('a real Prometheus scraping the workload', () => {
  let sim: Simulator;
  let metricsServer: http.Server;
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  let dir = '';
  let stop = false;
  let workload: Promise<void> = Promise.resolve();
  let prometheusLog = '';

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS)) {
      throw new Error(
        `${PROMETHEUS} is missing: run \`npm test\` (it installs Debian's prometheus) or apt-get install prometheus`,
      );
    }
    sim = await startSimulator({
      port: 0,
      seed: 11,
      runs: { pendingMs: 0, runningMs: 0, failureRate: 0.5, errorVocabulary: 'production' },
      faults: [
        { kind: 'status', status: 503, code: 'service_unavailable', route: 'GET /models', probability: 0.4 },
        {
          kind: 'status',
          status: 429,
          code: 'rate_limited',
          route: 'GET /workspaces',
          probability: 0.4,
          headers: { 'retry-after-ms': '5' },
        },
      ],
    });
    const registry = new Registry();
    const metrics: FloraMetrics = createFloraMetrics({ registry });
    // The breaker package's event source, structurally (this package does not depend on it).
    const listeners = new Set<(e: BreakerStateChange) => void>();
    instrumentBreakers(metrics, {
      onStateChange: (l) => {
        listeners.add(l);
        return { dispose: () => listeners.delete(l) };
      },
    });
    const flip = (from: BreakerStateChange['from'], to: BreakerStateChange['to']) => {
      for (const l of listeners) l({ key: 'POST /generate', from, to, time: Date.now() });
    };

    metricsServer = http.createServer(async (req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
    });
    metricsServer.listen(0, '127.0.0.1');
    await once(metricsServer, 'listening');
    const metricsPort = (metricsServer.address() as AddressInfo).port;

    const api: Got = got.extend(
      {
        prefixUrl: sim.url,
        headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
        retry: { limit: 2, methods: ['GET'], statusCodes: [429, 503], backoffLimit: 10, maxRetryAfter: 100 },
      },
      floraErrors(),
      floraMetrics(metrics),
    );
    const round = async (i: number) => {
      const settle = (p: PromiseLike<unknown>) =>
        Promise.resolve(p).then(
          () => undefined,
          () => undefined,
        );
      await Promise.all([
        settle(api.get('workspaces').json()),
        settle(api.get('models').json()),
        settle(api.get('runs/run_missing').json()),
        settle(
          api
            .post('techniques/thumbnail-v3/runs', {
              json: { inputs: [{ id: 'prompt', type: 'text', value: `cat ${i}` }], mode: 'async' },
            })
            .json<{ run_id: string }>()
            .then((r) => api.get(`runs/${r.run_id}`).json()),
        ),
      ]);
      if (i % 3 === 0) flip('closed', 'open');
      if (i % 3 === 1) flip('open', 'half_open');
      if (i % 3 === 2) flip('half_open', 'closed');
      // The retry package reports give-ups through onGiveUp; here the recorder stands in for it.
      metrics.recordGiveUp({ operation: 'GET /workspaces', reason: 'attempts_exhausted' });
    };
    workload = (async () => {
      for (let i = 0; !stop; i++) {
        await round(i);
        await sleep(100);
      }
    })();

    dir = mkdtempSync(join(tmpdir(), 'flora-prom-'));
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    writeFileSync(join(dir, 'flora-client.rules.yml'), readFileSync(RULES));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'rule_files:',
        '  - flora-client.rules.yml',
        'scrape_configs:',
        '  - job_name: flora-e2e',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${metricsPort}']`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--web.enable-lifecycle',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (d) => {
      prometheusLog = (prometheusLog + String(d)).slice(-4000);
    });
    prometheus.stderr?.on('data', (d) => {
      prometheusLog = (prometheusLog + String(d)).slice(-4000);
    });
  }, 20_000);

  afterAll(async () => {
    stop = true;
    await workload;
    if (prometheus && prometheus.exitCode === null) {
      prometheus.kill('SIGTERM');
      await once(prometheus, 'exit');
    }
    metricsServer?.closeAllConnections();
    await new Promise((r) => metricsServer?.close(r));
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 20_000);

  async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const body = await got(`${promUrl}/api/v1/query`, {
      searchParams: { query: expr },
      retry: { limit: 0 },
    }).json<{
      status: string;
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    }>();
    expect(body.status).toBe('success');
    return body.data.result;
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > until)
        throw new Error(`timed out waiting for ${what}\n--- prometheus log ---\n${prometheusLog}`);
      await sleep(250);
    }
  }

  it('every dashboard query returns data, and the alert rules load', async () => {
    await waitFor(
      'the target to be up',
      async () => ((await query('up{job="flora-e2e"}'))[0]?.value[1] === '1' ? true : undefined),
      15_000,
    );
    const dashboard = JSON.parse(readFileSync(join(pkg, 'dashboards', 'flora-client.json'), 'utf8')) as {
      panels: Panel[];
    };
    const exprs = dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({ title: p.title, expr: substitute(t.expr) })),
    );
    expect(exprs.length).toBeGreaterThanOrEqual(12);
    const empty: string[] = [];
    for (const { title, expr } of exprs) {
      const result = await waitFor(
        `data for "${title}": ${expr}`,
        async () => {
          const r = await query(expr);
          return r.some((s) => s.value[1] !== 'NaN') ? r : undefined;
        },
        12_000,
      ).catch(() => undefined);
      if (result === undefined) empty.push(`${title}: ${expr}`);
    }
    expect(empty).toEqual([]);

    // The dashboard's template variables: label_values(flora_client_calls_total, job|operation).
    for (const label of ['job', 'operation']) {
      const values = await got(`${promUrl}/api/v1/label/${label}/values`, {
        searchParams: { 'match[]': 'flora_client_calls_total' },
      }).json<{ data: string[] }>();
      expect(values.data.length).toBeGreaterThan(0);
    }
    const operations = (await query('count by (operation) (flora_client_calls_total)')).map(
      (s) => s.metric.operation,
    );
    expect(operations).toEqual(
      expect.arrayContaining(['GET /runs/:id', 'GET /workspaces', 'POST /techniques/thumbnail-v3/runs']),
    );

    const rules = await got(`${promUrl}/api/v1/rules`).json<{
      data: { groups: { rules: { name: string; health: string }[] }[] };
    }>();
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual([
      'FloraClientCircuitOpen',
      'FloraClientHighFailureRatio',
      'FloraClientRateLimited',
      'FloraClientRunsFailing',
    ]);
  }, 45_000);
});

describe('promtool', () => {
  const exec = promisify(execFile);
  const tool = it;

  tool('check rules passes on the shipped rules', async () => {
    const { stdout } = await exec(PROMTOOL, ['check', 'rules', RULES]);
    expect(stdout).toContain('SUCCESS: 4 rules found');
  });

  tool('test rules passes: each alert fires and stays quiet where it should', async () => {
    const { stdout } = await exec(PROMTOOL, [
      'test',
      'rules',
      join(pkg, 'alerts', 'flora-client.rules.test.yml'),
    ]);
    expect(stdout).toContain('SUCCESS');
  });
});
