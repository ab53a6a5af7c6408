import { parseHttpDate, parseRetryAfter, RETRY_AFTER_CEILING_MS } from '@flora-resilience/errors';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

// Wed, 25 Nov 2026 12:00:00 GMT
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const ra = (value: string) => parseRetryAfter({ 'retry-after': value }, NOW);

describe('parseRetryAfter: retry-after as delta-seconds', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1', 1_000],
    ['1.5', 1_500],
    ['0.0001', 1], // whole milliseconds, rounded up: never "retry now" for a positive wait
    [' 5 ', 5_000],
    ['\t7', 7_000],
    ['007', 7_000],
    ['86400', RETRY_AFTER_CEILING_MS],
    ['86401', RETRY_AFTER_CEILING_MS],
    ['999999999999', RETRY_AFTER_CEILING_MS],
    ['9'.repeat(100), RETRY_AFTER_CEILING_MS], // well-formed 1*DIGIT, absurd: clamped, not ignored
    ['9'.repeat(400), RETRY_AFTER_CEILING_MS], // Number() overflows to Infinity: still the ceiling
  ])('%j → %p', (value, expected) => {
    expect(ra(value)).toBe(expected);
  });

  it.each([
    ['+5'],
    ['-5'],
    ['-0'],
    ['5s'],
    ['5 s'],
    ['5,000'],
    ['1 2'],
    ['NaN'],
    ['Infinity'],
    ['-Infinity'],
    ['1e3'], // an exponent is not delta-seconds (it is accepted in retry-after-ms)
    ['0x10'],
    ['.5'],
    ['5.'],
    [''],
    ['   '],
    ['soon'],
    ['x'.repeat(65)],
    [`Wed, 25 Nov 2026 12:00:30 GMT${' '.repeat(40)}x`],
  ])('%j → undefined (the caller falls back to its own backoff)', (value) => {
    expect(ra(value)).toBeUndefined();
  });
});

describe('parseRetryAfter: retry-after as an HTTP-date (RFC 9110 §5.6.7, all three forms)', () => {
  it.each([
    ['IMF-fixdate, future', 'Wed, 25 Nov 2026 12:00:30 GMT', 30_000],
    ['RFC 850, future', 'Wednesday, 25-Nov-26 12:00:30 GMT', 30_000],
    ['asctime, future', 'Wed Nov 25 12:00:30 2026', 30_000],
    ['asctime, 1 h ahead', 'Wed Nov 25 13:00:00 2026', 3_600_000],
    ['asctime, one-digit day, 6 days ahead → clamped', 'Tue Dec  1 12:00:00 2026', RETRY_AFTER_CEILING_MS],
    ['asctime, one-digit hour is not asctime', 'Thu Nov 26  3:00:00 2026', undefined],
    ['IMF-fixdate, now', 'Wed, 25 Nov 2026 12:00:00 GMT', 0],
    ['IMF-fixdate, past', 'Tue, 24 Nov 2026 12:00:00 GMT', 0],
    ['RFC 850, past', 'Sunday, 06-Nov-94 08:49:37 GMT', 0],
    ['asctime, past', 'Sun Nov  6 08:49:37 1994', 0],
    ['IMF-fixdate, a year ahead → clamped', 'Thu, 25 Nov 2027 12:00:00 GMT', RETRY_AFTER_CEILING_MS],
    ['leap second 60 read as 59', 'Wed, 25 Nov 2026 12:00:60 GMT', 59_000],
    ['weekday is not cross-checked', 'Mon, 25 Nov 2026 12:00:30 GMT', 30_000],
  ])('%s: %j → %p', (_, value, expected) => {
    expect(ra(value)).toBe(expected);
  });

  it.each([
    ['31 Feb', 'Tue, 31 Feb 2026 12:00:00 GMT'],
    ['30 Feb', 'Mon, 30 Feb 2026 12:00:00 GMT'],
    ['29 Feb in a non-leap year', 'Sun, 29 Feb 2026 12:00:00 GMT'],
    ['day 32', 'Wed, 32 Jan 2026 12:00:00 GMT'],
    ['day 00', 'Wed, 00 Jan 2026 12:00:00 GMT'],
    ['hour 24', 'Wed, 25 Nov 2026 24:00:00 GMT'],
    ['minute 60', 'Wed, 25 Nov 2026 12:60:00 GMT'],
    ['another zone', 'Wed, 25 Nov 2026 12:00:30 UTC'],
    ['an offset', 'Wed, 25 Nov 2026 12:00:30 +0000'],
    ['lower-case gmt', 'Wed, 25 Nov 2026 12:00:30 gmt'],
    ['no weekday', '25 Nov 2026 12:00:30 GMT'],
    ['ISO 8601 (Date.parse accepts it; HTTP does not)', '2026-11-25T12:00:30Z'],
    ['one-digit day in IMF-fixdate', 'Wed, 5 Nov 2026 12:00:30 GMT'],
    ['a month name that is not one', 'Wed, 25 Nox 2026 12:00:30 GMT'],
    ['a long weekday in IMF-fixdate', 'Wednesday, 25 Nov 2026 12:00:30 GMT'],
  ])('rejects %s', (_, value) => {
    expect(ra(value)).toBeUndefined();
    expect(parseHttpDate(value, NOW)).toBeUndefined();
  });

  it('accepts 29 Feb in a leap year', () => {
    expect(parseHttpDate('Tue, 29 Feb 2028 00:00:00 GMT')).toBe(Date.UTC(2028, 1, 29));
  });

  it('reads RFC 850 two-digit years the RFC 9110 way (more than 50 years ahead → previous century)', () => {
    const y = (value: string) => new Date(parseHttpDate(value, NOW) ?? Number.NaN).getUTCFullYear();
    expect(y('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(1994);
    expect(y('Sunday, 06-Nov-76 08:49:37 GMT')).toBe(2076);
    expect(y('Sunday, 06-Nov-77 08:49:37 GMT')).toBe(1977);
    expect(y('Sunday, 06-Nov-26 08:49:37 GMT')).toBe(2026);
  });
});

describe('parseRetryAfter: retry-after-ms and header shapes', () => {
  const both = (ms: string, seconds?: string) =>
    parseRetryAfter(
      { 'retry-after-ms': ms, ...(seconds === undefined ? {} : { 'retry-after': seconds }) },
      NOW,
    );

  it('retry-after-ms wins over retry-after when valid', () => {
    expect(both('250', '10')).toBe(250);
    expect(both('0', '10')).toBe(0);
    expect(both('0.5', '10')).toBe(1);
    expect(both('1e3', '10')).toBe(1_000);
    expect(both('1E3')).toBe(1_000);
    expect(both('1e400', '10')).toBe(RETRY_AFTER_CEILING_MS);
    expect(both('90000000', '10')).toBe(RETRY_AFTER_CEILING_MS);
  });

  it('retry-after-ms garbage falls back to retry-after', () => {
    for (const garbage of ['-1', 'abc', '', 'NaN', 'Infinity', '5ms', '+5']) {
      expect(both(garbage, '10')).toBe(10_000);
      expect(both(garbage)).toBeUndefined();
    }
  });

  it('no header, or no headers at all → undefined', () => {
    expect(parseRetryAfter({}, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': undefined }, NOW)).toBeUndefined();
  });

  it('takes the first of an array value, any header case, numbers, WHATWG Headers and Maps', () => {
    expect(parseRetryAfter({ 'retry-after': ['3', '9'] }, NOW)).toBe(3_000);
    expect(parseRetryAfter({ 'Retry-After': '3' }, NOW)).toBe(3_000);
    expect(parseRetryAfter({ 'RETRY-AFTER-MS': 40 }, NOW)).toBe(40);
    expect(parseRetryAfter(new Headers({ 'Retry-After': '3' }), NOW)).toBe(3_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 12:00:30 GMT' }), NOW)).toBe(
      30_000,
    );
    expect(parseRetryAfter(new Map([['retry-after-ms', '12']]), NOW)).toBe(12);
  });

  it('uses the injected clock (and Date.now() when the clock is not a finite number)', () => {
    const date = 'Wed, 25 Nov 2026 12:00:30 GMT';
    expect(parseRetryAfter({ 'retry-after': date }, NOW - 60_000)).toBe(90_000);
    expect(parseRetryAfter({ 'retry-after': '5' }, Number.NaN)).toBe(5_000);
    expect(parseRetryAfter({ 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' }, Number.NaN)).toBe(0);
  });
});

describe('parseRetryAfter: properties', () => {
  const headerish = fc.oneof(
    fc.string(),
    fc.stringMatching(/^[ +-]?\d{0,30}(\.\d{0,5})?([eE][+-]?\d{1,4})?[ sm]?$/),
    fc
      .date({ min: new Date(0), max: new Date(Date.UTC(9999, 0)), noInvalidDate: true })
      .map((d) => d.toUTCString()),
  );

  it('never throws; the result is undefined or an integer in [0, ceiling]', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('retry-after', 'Retry-After', 'retry-after-ms', 'x'), headerish),
        fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.double()),
        (headers, now) => {
          const r = parseRetryAfter(headers, now);
          if (r !== undefined) {
            expect(Number.isInteger(r)).toBe(true);
            expect(r).toBeGreaterThanOrEqual(0);
            expect(r).toBeLessThanOrEqual(RETRY_AFTER_CEILING_MS);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("for any integer n in [0, 86400], 'n' → n × 1000", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (n) => {
        expect(ra(String(n))).toBe(n * 1000);
      }),
    );
  });

  it('any date formatted with toUTCString() round-trips within 1 s', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(Date.UTC(1000, 0)),
          max: new Date(Date.UTC(9999, 11, 31)),
          noInvalidDate: true,
        }),
        (date) => {
          const text = date.toUTCString();
          const parsed = parseHttpDate(text, NOW);
          expect(parsed).toBeDefined();
          expect(Math.abs((parsed as number) - date.getTime())).toBeLessThan(1000);
          const wait = parseRetryAfter({ 'retry-after': text }, NOW) as number;
          const expected = Math.min(Math.max(0, date.getTime() - NOW), RETRY_AFTER_CEILING_MS);
          expect(Math.abs(wait - expected)).toBeLessThan(1000);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
