import type { Agent } from 'node:http';
import { SIMULATOR_API_KEY } from '@flora-resilience/simulator';
import type { Operation } from '../Operation.js';

/** What the bare got clients share: base URL, the simulator's key, and an optional keep-alive agent. */
export function gotBaseOptions(url: string, agent: Agent | undefined) {
  return {
    prefixUrl: url,
    headers: { authorization: `Bearer ${SIMULATOR_API_KEY}` },
    ...(agent ? { agent: { http: agent } } : {}),
  };
}

/** The per-call got options of one operation. */
export function gotCallOptions(op: Operation, signal: AbortSignal) {
  return { method: op.method, signal, ...(op.json ? { json: op.json } : {}) };
}
