/** The parts of the options the open-period backoff reads. */
export interface ResetBackoff {
  readonly resetTimeoutMs: number;
  readonly maxResetTimeoutMs: number;
  readonly backoffFactor: number;
}

/**
 * How long a breaker stays open before its next probe (pure): `resetTimeoutMs · backoffFactor^n`,
 * capped at `maxResetTimeoutMs`, where `n` counts the failed probes since the breaker last closed
 * (0 when it has just opened from closed). Whole milliseconds.
 */
export function resetDelayMs(failedProbes: number, backoff: ResetBackoff): number {
  const n = Number.isFinite(failedProbes) && failedProbes > 0 ? Math.floor(failedProbes) : 0;
  const raw = backoff.resetTimeoutMs * backoff.backoffFactor ** n;
  return Math.round(
    Math.min(Number.isFinite(raw) ? raw : backoff.maxResetTimeoutMs, backoff.maxResetTimeoutMs),
  );
}
