/** Every verdict on one attempt. */
export const ATTEMPT_OUTCOMES = ['success', 'failure', 'neutral'] as const;

/**
 * What one attempt tells the breaker about FLORA's health:
 * - `success`: FLORA answered (1xx–3xx): counted, and a successful probe closes the breaker.
 * - `failure`: a transient failure of FLORA (5xx except 501, network error, attempt timeout): counted.
 * - `neutral`: says nothing about FLORA's health (caller errors 4xx, 429, 501, caller aborts, unknown
 *   client-side errors): counted as neither, so it can neither open nor heal a breaker.
 */
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
