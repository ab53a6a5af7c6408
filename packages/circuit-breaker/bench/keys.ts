/**
 * Memory stays flat however many keys arrive: 100,000 distinct keys through one registry (default
 * maxKeys 1000). Run from packages/circuit-breaker:
 *   node --conditions=@flora-resilience/source --expose-gc --import tsx bench/keys.ts
 */
import { createBreakerRegistry } from '@flora-resilience/circuit-breaker';

const KEYS = 100_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
/** Lets opossum's promise settlements run (as between any two real calls), then collects. */
const heap = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const out = (line: string) => process.stdout.write(`${line}\n`);

const registry = createBreakerRegistry();
const before = await heap();
let peak = 0;
for (let i = 0; i < KEYS; i++) {
  // one attempt per key, as a got call would make (it yields to the event loop every 1000 keys)
  const breaker = registry.get(`GET /bench/op-${i}`);
  breaker.acquire().success();
  if (i === 999) {
    // registry full (1000 breakers)
    const full = await heap();
    out(`heap with the registry full (1000 keys): ${mb(full)} (+${mb(full - before)})`);
  }
  if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  if (i % 10_000 === 9999) peak = Math.max(peak, await heap());
}
const after = await heap();
out(`keys created:                 ${KEYS}`);
out(`registry size:                ${registry.size} (maxKeys ${registry.options.maxKeys})`);
out(`breakers evicted:             ${registry.stats().evicted}`);
out(`heap before:                  ${mb(before)}`);
out(`heap after 100k keys (GC):    ${mb(after)} (+${mb(after - before)})`);
out(`highest heap every 10k keys:  ${mb(peak)}`);
registry.dispose();
out(`heap after dispose (GC):      ${mb(await heap())}`);
