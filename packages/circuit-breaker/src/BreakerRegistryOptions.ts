/** Computes the breaker key of one attempt. */
export type BreakerKeyFunction = (method: string, url: string | URL) => string;

/** Options of {@link createBreakerRegistry}; every field is optional (defaults in `DEFAULT_BREAKER_OPTIONS`). */
export interface BreakerRegistryOptions {
  /** Most breakers kept (least recently used first out). Default: 1000. */
  readonly maxKeys?: number;
  /** The key of an attempt. Default: `floraOperation(method, url)` (route template, slugs kept). */
  readonly keyOf?: BreakerKeyFunction;
  /** Counted attempts needed in the rolling window before the breaker may open. Default: 10. */
  readonly volumeThreshold?: number;
  /** The breaker opens when failures exceed this share of counted attempts, in %. Default: 50. */
  readonly failureThresholdPercentage?: number;
  /** Length of the rolling window of counts, in ms. Default: 10 000. */
  readonly rollingWindowMs?: number;
  /** Buckets the window is cut into (one shared tick per bucket). Default: 10. */
  readonly rollingBuckets?: number;
  /** Wait from opening to the first probe, in ms. Default: 1000. */
  readonly resetTimeoutMs?: number;
  /** Longest wait between probes, in ms. Default: 30 000. */
  readonly maxResetTimeoutMs?: number;
  /** Each failed probe multiplies the wait by this. Default: 2. */
  readonly backoffFactor?: number;
}
