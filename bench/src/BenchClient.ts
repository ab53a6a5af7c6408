import type { Agent } from 'node:http';
import type { Operation } from './Operation.js';

/** A client under test: makes one logical call, however many attempts it takes. */
export interface BenchClient {
  readonly name: string;
  /** One logical call; `signal` is the runner's hard bound on its duration. */
  call(op: Operation, signal: AbortSignal): Promise<unknown>;
  /** Ends the client's timers and listeners (the agent belongs to the caller). */
  dispose(): void;
}

/** Builds a client for one simulator (`url` includes `/api/v1`). */
export type ClientFactory = (url: string, agent?: Agent) => BenchClient;
