/** How the backoff is randomised. `equal` (default): uniform in [cap/2, cap]; `full`: [0, cap]; `none`: cap. */
export type Jitter = 'equal' | 'full' | 'none';

export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: Jitter;
}

/**
 * The backoff before retry number `retry` (0 for the first retry): `min(base · 2^retry, max)`, jittered.
 * Pure: `random` is injected and must return a number in [0, 1). Always an integer in [0, maxDelayMs].
 */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.max(0, Math.min(Math.floor(retry), 52));
  const cap = Math.min(options.baseDelayMs * 2 ** exponent, options.maxDelayMs);
  let r = random();
  if (!(r >= 0 && r < 1)) r = 0.5;
  switch (options.jitter) {
    case 'none':
      return Math.round(cap);
    case 'full':
      return Math.min(cap, Math.floor(r * (cap + 1)));
    case 'equal':
      return Math.min(cap, Math.floor(cap / 2 + r * (cap / 2 + 1)));
  }
}
