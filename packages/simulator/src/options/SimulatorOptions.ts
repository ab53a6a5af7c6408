import type { FaultSpec } from '../faults/FaultSpec.js';
import type { RunError, RunErrorVocabularyName } from '../runs/runErrorVocabularies.js';
import type { ScenarioName } from '../scenarios/SCENARIOS.js';
import type { ModelDefinition, TechniqueDefinition } from '../state/catalog.js';

/** How a 429 tells the client when to come back. */
export type RetryAfterForm = 'seconds' | 'http-date' | 'ms' | 'absent' | 'garbage' | 'huge';

/** A per-workspace token bucket. */
export interface RateLimitOptions {
  /** Refill rate (tokens per second), > 0. */
  requestsPerSecond: number;
  /** Bucket size (max burst), ≥ 1. Default: `ceil(requestsPerSecond)`. */
  burst?: number;
  /** Form of the retry hint on 429. Default: `'seconds'`. */
  retryAfter?: RetryAfterForm;
}

/** Run lifecycle timing and outcomes. */
export interface RunOptions {
  /** How long a run stays `pending`. Default: 1000 ms. */
  pendingMs?: number;
  /** How long a run stays `running` before it is terminal. Default: 4000 ms. */
  runningMs?: number;
  /** Probability (0..1, seeded) that a run ends `failed`. Default: 0. */
  failureRate?: number;
  /** Codes a failed run carries. Default: `'docs'`. */
  errorVocabulary?: RunErrorVocabularyName | readonly RunError[];
}

/** Which idempotency mechanism(s) the simulator honours (flora-api.md §2.4). */
export type IdempotencyMode = 'header' | 'body' | 'both';

/** Options of {@link startSimulator}; every field is optional. */
export interface SimulatorOptions {
  /** TCP port, 0..65535. Default: 0 (an ephemeral port). */
  port?: number;
  /** Interface to bind. Default: `'127.0.0.1'`. */
  host?: string;
  /** Seed of the PRNG that draws fault probabilities, latency ranges and run outcomes. Default: 1. */
  seed?: number | string;
  /** The simulator's clock (ms). Default: `Date.now`. Runs, windows, buckets and idempotency use it. */
  now?: () => number;
  /** A named scenario whose options and faults are applied under yours. Default: none. */
  scenario?: ScenarioName;
  /** API key → workspace id. Default: `{ [SIMULATOR_API_KEY]: SIMULATOR_WORKSPACE_ID }`. */
  apiKeys?: Readonly<Record<string, string>>;
  /** Starting credit balance in USD, for every workspace or per workspace id. Default: 100. */
  credits?: number | Readonly<Record<string, number>>;
  /** Per-workspace rate limit, or `false`. Default: `false` (off). */
  rateLimit?: false | RateLimitOptions;
  /** Default: `'both'`. */
  idempotency?: IdempotencyMode;
  /** Run lifecycle. */
  runs?: RunOptions;
  /** Key casing of run bodies (run objects and start responses). Default: `'snake'`. */
  casing?: 'snake' | 'camel';
  /** Faults registered at start (after the scenario's). Default: none. */
  faults?: readonly FaultSpec[];
  /** Request body cap; larger bodies get 413 `payload_too_large`. Default: 5 MiB. */
  maxBodyBytes?: number;
  /** How many attempt records `stats()` keeps (a ring). Default: 100 000. */
  statsLimit?: number;
  /** Replace the seeded techniques. Default: `DEFAULT_TECHNIQUES`. */
  techniques?: readonly TechniqueDefinition[];
  /** Replace the seeded models. Default: `DEFAULT_MODELS`. */
  models?: readonly ModelDefinition[];
}
