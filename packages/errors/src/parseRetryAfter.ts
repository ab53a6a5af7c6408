import { type HeadersLike, headerValue } from './headerValue.js';
import { parseHttpDate } from './parseHttpDate.js';

/**
 * The largest wait this parser ever reports: 24 h. Larger (or overflowing) values are clamped to it, so
 * callers always get a finite number they can compare against their own cap (`maxRetryAfterMs`) and
 * refuse. Nothing here decides to sleep; the retry policy does.
 */
export const RETRY_AFTER_CEILING_MS = 86_400_000;

const DELTA_SECONDS = /^\d+(?:\.\d+)?$/;
const MILLISECONDS = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const clamp = (ms: number): number => Math.min(Math.ceil(ms), RETRY_AFTER_CEILING_MS);

/**
 * How long the server asked the client to wait, in whole milliseconds, or `undefined` when it did not ask
 * (or asked in a form that cannot be trusted).
 *
 * - `retry-after-ms` (float milliseconds, a Stainless convention FLORA's SDK reads) wins when valid.
 * - `retry-after` as delta-seconds (`120`; a fractional `1.5` is accepted as FLORA's SDK does).
 * - `retry-after` as an HTTP-date in any RFC 9110 form; a date in the past means `0` (retry now).
 * - Negative numbers, signs, units, NaN/Infinity, empty values and unparseable dates: `undefined`, so the
 *   caller falls back to its own backoff.
 * - Absurdly large values (any number of digits, `1e400` ms, a date years ahead) are clamped to
 *   {@link RETRY_AFTER_CEILING_MS}; a non-numeric value longer than 64 chars is ignored unparsed.
 * - A `now` that is not a finite number is replaced by `Date.now()`.
 */
export function parseRetryAfter(
  headers: HeadersLike | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (typeof now !== 'number' || !Number.isFinite(now)) now = Date.now();
  const ms = headerValue(headers, 'retry-after-ms')?.trim();
  if (ms !== undefined && MILLISECONDS.test(ms)) {
    const value = Number(ms);
    if (Number.isFinite(value)) return clamp(value);
    return RETRY_AFTER_CEILING_MS;
  }
  const raw = headerValue(headers, 'retry-after')?.trim();
  if (raw === undefined || raw === '') return undefined;
  // Delta-seconds of any length is well-formed (RFC 9110: 1*DIGIT): a huge one is clamped, not ignored.
  if (DELTA_SECONDS.test(raw)) {
    const seconds = Number(raw);
    return Number.isFinite(seconds) ? clamp(seconds * 1000) : RETRY_AFTER_CEILING_MS;
  }
  // The longest HTTP-date (RFC 850 with a long weekday) is 37 chars: anything past 64 is garbage.
  if (raw.length > 64) return undefined;
  const date = parseHttpDate(raw, now);
  if (date === undefined) return undefined;
  return clamp(Math.max(0, date - now));
}
