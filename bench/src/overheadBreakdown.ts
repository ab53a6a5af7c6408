/**
 * Where the preset's success-path overhead goes, in client CPU per call: the plugins stacked one at a time
 * on bare got (unfused, in pipeline order), then the preset itself (fused), beside "got's own price" (a
 * no-op handler, `beforeRequest` and `afterResponse` hook and a 30 s timeout, which any got plugin of this
 * shape pays). Run: `pnpm --filter @flora-resilience/bench breakdown` after `pnpm build` (about two
 * minutes). Prints a markdown table; the figures are quoted in bench/README.md.
 *
 * Why CPU per call and not throughput: on this 2-core machine the throughput of the same configuration
 * moves by ±5 % from block to block, while the client's CPU time per call (process.cpuUsage over a fixed
 * number of calls) is steadier, and a trimmed mean over many alternating rounds resolves ~2 µs.
 */
import http from 'node:http';
import { floraCircuitBreaker } from '@flora-resilience/circuit-breaker';
import { floraErrors } from '@flora-resilience/errors';
import { createFloraClient } from '@flora-resilience/got';
import { floraRequestId } from '@flora-resilience/request-id';
import { floraRetry } from '@flora-resilience/retry';
import { SIMULATOR_API_KEY } from '@flora-resilience/simulator';
import got, { type ExtendOptions, type Got } from 'got';
import { startChildSimulator } from './startChildSimulator.js';

type Client = Got & { flora?: { dispose(): void } };
type Make = (url: string, agent: http.Agent) => Client;

const bare = (url: string, agent: http.Agent, ...plugins: ExtendOptions[]): Client =>
  got.extend(
    {
      prefixUrl: url,
      headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
      retry: { limit: 0 },
      agent: { http: agent },
    },
    ...plugins,
  );

const TIMEOUT: ExtendOptions = { timeout: { request: 30_000 } };
const GOTS_OWN_PRICE: ExtendOptions = {
  ...TIMEOUT,
  handlers: [(options, next) => next(options)],
  hooks: { beforeRequest: [() => {}], afterResponse: [(response) => response] },
};

/** Each row adds one plugin to the row above it (fresh plugin instances per block). */
const STACK: readonly (readonly [string, () => ExtendOptions[]])[] = [
  ['+ floraErrors()', () => [floraErrors()]],
  ['+ floraRetry() (120 s deadline: a per-attempt got timeout)', () => [floraRetry()]],
  ['+ floraCircuitBreaker()', () => [floraCircuitBreaker()]],
  ['+ 30 s attempt timeout', () => [TIMEOUT]],
  ['+ floraRequestId() (no logger)', () => [floraRequestId()]],
];

const CONFIGS: readonly (readonly [string, Make])[] = [
  ['bare got', (url, agent) => bare(url, agent)],
  [
    'got’s own price: no-op handler + 2 no-op hooks + timeout',
    (url, agent) => bare(url, agent, GOTS_OWN_PRICE),
  ],
  ...STACK.map(
    ([name], i) =>
      [
        name,
        (url: string, agent: http.Agent) =>
          bare(url, agent, ...STACK.slice(0, i + 1).flatMap(([, plugins]) => plugins())),
      ] as const,
  ),
  [
    'preset (createFloraClient defaults, fused)',
    (url, agent) =>
      createFloraClient({
        apiKey: SIMULATOR_API_KEY,
        baseUrl: url,
        env: {},
        got: got.extend({ agent: { http: agent }, retry: { limit: 0 } }),
      }),
  ],
];

const ROUNDS = 16; // the first is warm-up
const CALLS = 4_000;
const CONCURRENCY = 32;

interface Block {
  readonly cpuUsPerCall: number;
  readonly callsPerSecond: number;
}

async function block(make: Make, url: string): Promise<Block> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const client = make(url, agent);
  // Open the sockets first: the block measures calls, not connection set-up.
  await Promise.all(Array.from({ length: CONCURRENCY }, () => client.get('techniques/thumbnail-v3')));
  let left = CALLS;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await client.get('techniques/thumbnail-v3');
    }),
  );
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - start) / 1000;
  client.flora?.dispose();
  agent.destroy();
  return { cpuUsPerCall: (used.user + used.system) / CALLS, callsPerSecond: CALLS / seconds };
}

/** Mean of the middle 60 %: block outliers (a GC, a noisy neighbour) in either direction are dropped. */
const trimmedMean = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length / 5);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((sum, v) => sum + v, 0) / kept.length;
};

const sim = await startChildSimulator();
try {
  const results = new Map<string, Block[]>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? CONFIGS : [...CONFIGS].reverse();
    for (const [name, make] of order) {
      const b = await block(make, sim.url);
      if (round > 0) results.set(name, [...(results.get(name) ?? []), b]);
    }
  }
  const cpuOf = (name: string) => trimmedMean(results.get(name)!.map((b) => b.cpuUsPerCall));
  const rateOf = (name: string) => trimmedMean(results.get(name)!.map((b) => b.callsPerSecond));
  const bareCpu = cpuOf('bare got');
  const bareRate = rateOf('bare got');
  let previous = bareCpu;
  console.log(
    `| configuration | client CPU per call | over bare got | step | calls/s | ÷ bare got |\n| --- | --- | --- | --- | --- | --- |`,
  );
  for (const [name] of CONFIGS) {
    const cpu = cpuOf(name);
    const inStack = STACK.some(([n]) => n === name);
    const step = inStack ? `+${(cpu - previous).toFixed(1)} µs` : '–';
    if (inStack) previous = cpu;
    console.log(
      `| ${name} | ${cpu.toFixed(1)} µs | +${(cpu - bareCpu).toFixed(1)} µs | ${step} | ${Math.round(rateOf(name)).toLocaleString('en-US')} | ${(rateOf(name) / bareRate).toFixed(3)} |`,
    );
  }
  console.log(
    `\n${ROUNDS - 1} alternating rounds of ${CALLS.toLocaleString('en-US')} calls per configuration (after a warm-up round), ${CONCURRENCY} in flight; trimmed means (middle 60 %).`,
  );
} finally {
  await sim.close();
}
