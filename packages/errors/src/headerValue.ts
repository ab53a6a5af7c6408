/** Any header container users hand us: node's IncomingHttpHeaders, got's, a WHATWG `Headers`, a Map. */
export type HeadersLike =
  | Readonly<Record<string, string | readonly string[] | number | undefined>>
  | { get(name: string): string | null | undefined };

/** Case-insensitive single header value; the first of a repeated header; `undefined` when absent. Never throws. */
export function headerValue(headers: HeadersLike | null | undefined, name: string): string | undefined {
  if (headers === null || headers === undefined || typeof headers !== 'object') return undefined;
  const lower = name.toLowerCase();
  try {
    if (typeof (headers as { get?: unknown }).get === 'function') {
      const v = (headers as { get(n: string): unknown }).get(lower);
      return typeof v === 'string' ? v : undefined;
    }
    const record = headers as Record<string, unknown>;
    let value = record[lower];
    if (value === undefined) {
      for (const key of Object.keys(record)) {
        if (key.toLowerCase() === lower) {
          value = record[key];
          break;
        }
      }
    }
    if (Array.isArray(value)) value = value[0];
    if (typeof value === 'number') return String(value);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/** FLORA's `request-id` response header (exactly that name, not `x-request-id`), if it looks sane. */
export function readRequestId(headers: HeadersLike | null | undefined): string | undefined {
  const value = headerValue(headers, 'request-id')?.trim();
  return value !== undefined && REQUEST_ID.test(value) ? value : undefined;
}
