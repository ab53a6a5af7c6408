import type { BreakerRegistry, BreakerRegistryOptions } from '@flora-resilience/circuit-breaker';
import type { FloraMetrics, FloraMetricsOptions } from '@flora-resilience/metrics';
import type { FloraRequestIdOptions, RequestIdLogger } from '@flora-resilience/request-id';
import type { RetryOptions, RetryPolicy } from '@flora-resilience/retry';
import type { Got } from 'got';
import type { Registry } from 'prom-client';

export const DEFAULT_BASE_URL = 'https://app.flora.ai/api/v1';

/** Options of `createFloraClient` and `floraPlugins`. Every field is optional. */
export interface FloraClientOptions {
  /** FLORA API key. Default: `FLORA_API_KEY` from the environment. Without one, creating the client throws. */
  readonly apiKey?: string;
  /** API base URL. Default: `FLORA_BASE_URL`, else `https://app.flora.ai/api/v1`. */
  readonly baseUrl?: string;
  /** The workspace the key bills: stamped on errors, log lines and tickets, and keys the cooldown. */
  readonly workspaceId?: string;
  /** Timeout of ONE attempt (got's `timeout.request`), or `false`. Default 30 000 ms. */
  readonly timeoutMs?: number | false;
  /** Total time for one logical call, attempts and waits included, or `false`. Default 120 000 ms. */
  readonly deadlineMs?: number | false;
  /** Retry options, a ready `RetryPolicy` (to share or observe it), or `false`. Default on. */
  readonly retry?: RetryOptions | RetryPolicy | false;
  /** Breaker options, a ready `BreakerRegistry`, or `false`. Default on. */
  readonly circuitBreaker?: BreakerRegistryOptions | BreakerRegistry | false;
  /** A prom-client registry to register the metrics in. Shorthand for `metrics: { registry }`. */
  readonly registry?: Registry;
  /** Metrics options, a ready `FloraMetrics`, or `false`. Default: on when `registry` is given, else off. */
  readonly metrics?: FloraMetricsOptions | FloraMetrics | false;
  /** A pino-compatible logger for the request-id log lines and the preset's own warnings. Default: none (silent). */
  readonly logger?: RequestIdLogger;
  /** Request-id options (levels, clock…), or `false` to drop the request-id plugin. Default on. */
  readonly requestId?: Omit<FloraRequestIdOptions, 'logger' | 'retryEvents' | 'workspaceId'> | false;
  /** The got instance to extend (`createFloraClient` only). Default: got's default export. */
  readonly got?: Got;
  /** Where `FLORA_API_KEY` / `FLORA_BASE_URL` are read. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
