import type { RetryAfterForm } from '../options/SimulatorOptions.js';

/**
 * The retry hint headers of a 429, in the configured form, for a token available in `waitMs` at time `now`.
 * - `seconds`: `retry-after: <ceil(waitMs / 1000)>` (delta-seconds)
 * - `http-date`: `retry-after: <IMF-fixdate>` of `now + waitMs`, rounded up to the whole second
 * - `ms`: `retry-after-ms: <waitMs>` (float milliseconds, the Stainless SDK convention)
 * - `absent`: nothing; `garbage`: `retry-after: soon`; `huge`: `retry-after: 3600`
 */
export function retryAfterHeaders(form: RetryAfterForm, waitMs: number, now: number): Record<string, string> {
  switch (form) {
    case 'seconds':
      return { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) };
    case 'http-date':
      return { 'retry-after': new Date(Math.ceil((now + waitMs) / 1000) * 1000).toUTCString() };
    case 'ms':
      return { 'retry-after-ms': String(Math.round(waitMs * 1000) / 1000) };
    case 'absent':
      return {};
    case 'garbage':
      return { 'retry-after': 'soon' };
    case 'huge':
      return { 'retry-after': '3600' };
  }
}
