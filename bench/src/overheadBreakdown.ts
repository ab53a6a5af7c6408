/**
 * Where the preset's success-path overhead goes: the preset with one part switched off at a time, against
 * bare got and bare got with an attempt timeout, in alternating rounds against a simulator in a child
 * process. Run: `pnpm --filter @flora-resilience/bench breakdown` (about a minute). Prints a table; the
 * figures are quoted in bench/README.md.
 */
import http from 'node:http';
import { floraErrors } from '@flora-resilience/errors';
import { createFloraClient, type FloraClientOptions } from '@flora-resilience/got';
import { SIMULATOR_API_KEY } from '@flora-resilience/simulator';
import got, { type Got } from 'got';
import { startChildSimulator } from './startChildSimulator.js';

type Make = (url: string, agent: http.Agent) => Got & { flora?: { dispose(): void } };

const bare = (url: string, agent: http.Agent, extra = {}) =>
  got.extend(
    {
      prefixUrl: url,
      headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
      retry: { limit: 0 },
      agent: { http: agent },
    },
    extra,
  );
const preset =
  (options: FloraClientOptions): Make =>
  (url, agent) =>
    createFloraClient({
      apiKey: SIMULATOR_API_KEY,
      baseUrl: url,
      env: {},
      got: got.extend({ agent: { http: agent }, retry: { limit: 0 } }),
      ...options,
    });

const CONFIGS: readonly (readonly [string, Make])[] = [
  ['bare got', (url, agent) => bare(url, agent)],
  ['bare got + 30 s attempt timeout', (url, agent) => bare(url, agent, { timeout: { request: 30_000 } })],
  ['bare got + floraErrors()', (url, agent) => bare(url, agent, floraErrors())],
  ['preset (defaults)', preset({})],
  ['preset without attempt timeout/deadline', preset({ timeoutMs: false, deadlineMs: false })],
  ['preset without breaker', preset({ circuitBreaker: false })],
  ['preset without request-id', preset({ requestId: false })],
  ['preset without retry', preset({ retry: false })],
  [
    'preset with only errors (all else off)',
    preset({ circuitBreaker: false, requestId: false, retry: false, timeoutMs: false, deadlineMs: false }),
  ],
];

const ROUNDS = 7;
const BLOCK_MS = 2_000;
const CONCURRENCY = 32;

async function block(make: Make, url: string): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const client = make(url, agent);
  const end = Date.now() + BLOCK_MS;
  let calls = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        await client.get('techniques/thumbnail-v3');
        calls += 1;
      }
    }),
  );
  client.flora?.dispose();
  agent.destroy();
  return calls / (BLOCK_MS / 1000);
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const sim = await startChildSimulator();
try {
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? CONFIGS : [...CONFIGS].reverse();
    for (const [name, make] of order) {
      const rate = await block(make, sim.url);
      if (round > 0) results.set(name, [...(results.get(name) ?? []), rate]);
    }
  }
  const base = median(results.get('bare got')!);
  console.log(`| configuration | median req/s (${ROUNDS - 1} blocks of ${BLOCK_MS / 1000} s) | ÷ bare got |`);
  console.log('| --- | --- | --- |');
  for (const [name] of CONFIGS) {
    const m = median(results.get(name)!);
    console.log(`| ${name} | ${Math.round(m).toLocaleString('en-US')} | ${(m / base).toFixed(3)} |`);
  }
} finally {
  await sim.close();
}
