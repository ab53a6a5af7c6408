import { FLORA } from '@flora-ai/flora';
import { SIMULATOR_API_KEY } from '@flora-resilience/simulator';
import type { BenchClient } from '../BenchClient.js';

/**
 * FLORA's official SDK 0.11.0 with its defaults: `maxRetries` 2 (3 attempts), backoff 0.5 s, 1 s … 8 s
 * minus up to 25 % jitter, `retry-after`/`retry-after-ms` honoured without a cap, retries 408, 409, 429,
 * 5xx and connection errors on every method, 60 s timeout per attempt. It uses the global `fetch` (undici,
 * keep-alive), so it takes no node:http agent.
 */
export function floraSdk(url: string): BenchClient {
  const sdk = new FLORA({ apiKey: SIMULATOR_API_KEY, baseURL: url });
  return {
    name: 'FLORA SDK 0.11.0',
    call: (op, signal) =>
      op.method === 'GET'
        ? sdk.get(`/${op.path}`, { signal })
        : sdk.post(`/${op.path}`, { signal, ...(op.json ? { body: op.json } : {}) }),
    dispose: () => {},
  };
}
