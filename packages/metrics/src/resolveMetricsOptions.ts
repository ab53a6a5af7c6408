import { DEFAULT_DURATION_BUCKETS } from './DEFAULT_DURATION_BUCKETS.js';
import type { MetricsRegistry } from './MetricsRegistry.js';

/** Options of `createFloraMetrics` (and of `floraMetrics` when given options instead of an instance). */
export interface FloraMetricsOptions {
  /** The prom-client `Registry` to register into. Required: this package never touches the global registry. */
  readonly registry: MetricsRegistry;
  /** Metric name prefix. Default `'flora_client_'` (the names in the dashboard and alert rules). */
  readonly prefix?: string;
  /** Distinct `operation` label values before new ones become `_OTHER`. Default 200. */
  readonly maxOperations?: number;
  /** Duration histogram buckets in seconds, strictly increasing. Default `DEFAULT_DURATION_BUCKETS` (5 ms … 600 s). */
  readonly buckets?: readonly number[];
  /** Keep technique/action slugs in `operation` (`POST /techniques/thumbnail-v3/runs`). Default `true`. */
  readonly keepSlugs?: boolean;
  /** Count failed runs seen in run responses (`GET /runs/:id`…) passing through the got adapter. Default `true`. */
  readonly observeRuns?: boolean;
  /** Monotonic clock in ms for durations. Default `() => performance.now()`. */
  readonly now?: () => number;
}

export interface ResolvedMetricsOptions {
  readonly registry: MetricsRegistry;
  readonly prefix: string;
  readonly maxOperations: number;
  readonly buckets: readonly number[];
  readonly keepSlugs: boolean;
  readonly observeRuns: boolean;
  readonly now: () => number;
}

const WHERE = 'createFloraMetrics';
const show = (v: unknown): string => {
  if (typeof v === 'function') return 'a function';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

/** Copies, validates and defaults the options, in one place. Never mutates its input. */
export function resolveMetricsOptions(options: FloraMetricsOptions): ResolvedMetricsOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${WHERE}: options must be an object with a registry, got ${show(options)}`);
  }
  const { registry } = options;
  const r = registry as unknown as Record<string, unknown> | undefined;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.getSingleMetric !== 'function' ||
    typeof r.registerMetric !== 'function'
  ) {
    throw new TypeError(
      `${WHERE}: options.registry must be a prom-client Registry (new Registry()), got ${r === null || typeof r !== 'object' ? show(r) : 'an object without getSingleMetric/registerMetric'}`,
    );
  }
  const prefix = options.prefix ?? 'flora_client_';
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new TypeError(
      `${WHERE}: options.prefix must match /^[a-zA-Z_:][a-zA-Z0-9_:]*$/ (a Prometheus metric name start), got ${show(prefix)}`,
    );
  }
  const maxOperations = options.maxOperations ?? 200;
  if (typeof maxOperations !== 'number' || !Number.isInteger(maxOperations) || maxOperations < 1) {
    throw new RangeError(
      `${WHERE}: options.maxOperations must be an integer ≥ 1, got ${show(maxOperations)}`,
    );
  }
  const buckets = options.buckets ?? DEFAULT_DURATION_BUCKETS;
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw new TypeError(
      `${WHERE}: options.buckets must be a non-empty array of seconds, got ${show(buckets)}`,
    );
  }
  buckets.forEach((b: unknown, i: number) => {
    if (typeof b !== 'number' || !Number.isFinite(b) || b <= 0) {
      throw new RangeError(`${WHERE}: options.buckets[${i}] must be a finite number > 0, got ${show(b)}`);
    }
    if (i > 0 && b <= (buckets[i - 1] as number)) {
      throw new RangeError(
        `${WHERE}: options.buckets must be strictly increasing, got ${show(b)} after ${show(buckets[i - 1])} at index ${i}`,
      );
    }
  });
  const keepSlugs = options.keepSlugs ?? true;
  if (typeof keepSlugs !== 'boolean') {
    throw new TypeError(`${WHERE}: options.keepSlugs must be a boolean, got ${show(keepSlugs)}`);
  }
  const observeRuns = options.observeRuns ?? true;
  if (typeof observeRuns !== 'boolean') {
    throw new TypeError(`${WHERE}: options.observeRuns must be a boolean, got ${show(observeRuns)}`);
  }
  const now = options.now ?? (() => performance.now());
  if (typeof now !== 'function') {
    throw new TypeError(`${WHERE}: options.now must be a function returning milliseconds, got ${show(now)}`);
  }
  return {
    registry,
    prefix,
    maxOperations,
    buckets: Object.freeze([...buckets]),
    keepSlugs,
    observeRuns,
    now,
  };
}
