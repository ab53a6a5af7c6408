/**
 * Fail-fast latency of an open breaker, through real got against the simulator: how long a refused call
 * takes to reject with CircuitOpenError (no request is sent). Run from packages/circuit-breaker:
 *   node --conditions=@flora-resilience/source --import tsx bench/failfast.ts
 */
import { Agent } from 'node:http';
import { createBreakerRegistry, floraCircuitBreaker } from '@flora-resilience/circuit-breaker';
import { floraErrors, isCircuitOpenError } from '@flora-resilience/errors';
import { SIMULATOR_API_KEY, startSimulator } from '@flora-resilience/simulator';
import got from 'got';

const CALLS = 5000;
const out = (line: string) => process.stdout.write(`${line}\n`);
const sim = await startSimulator();
const registry = createBreakerRegistry({ resetTimeoutMs: 3_600_000, maxResetTimeoutMs: 3_600_000 });
const client = got.extend(
  {
    prefixUrl: sim.url,
    headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
    retry: { limit: 0 },
    agent: { http: new Agent({ keepAlive: false }) },
  },
  floraErrors(),
  floraCircuitBreaker(registry),
);
sim.faults.add({ kind: 'status', status: 503, code: 'service_unavailable', route: 'GET /models' });
for (let i = 0; i < 10; i++) await client.get('models').catch(() => undefined);
sim.resetStats();

const samples: number[] = [];
for (let i = 0; i < CALLS; i++) {
  const start = process.hrtime.bigint();
  try {
    await client.get('models');
  } catch (error) {
    if (!isCircuitOpenError(error)) throw error;
  }
  samples.push(Number(process.hrtime.bigint() - start) / 1e6);
}
samples.sort((a, b) => a - b);
const q = (p: number) =>
  (samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] as number).toFixed(3);
out(`open-breaker calls:       ${CALLS}`);
out(`requests reaching server: ${sim.stats().requests}`);
out(`fail-fast latency (ms):   p50 ${q(0.5)}  p90 ${q(0.9)}  p99 ${q(0.99)}  max ${q(1)}`);
registry.dispose();
await sim.close();
