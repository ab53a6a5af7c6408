import { ApiError } from '../http/ApiError.js';

/** Cursor pagination: `{ [key]: items, meta: { next_cursor } }`; `limit` 1..100 (default 20). */
export function paginate(
  items: readonly unknown[],
  query: URLSearchParams,
  key: string,
): Record<string, unknown> {
  const rawLimit = query.get('limit');
  let limit = 20;
  if (rawLimit !== null) {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw ApiError.validation([{ field: 'limit', message: 'Expected an integer between 1 and 100.' }]);
    }
  }
  let offset = 0;
  const cursor = query.get('cursor');
  if (cursor !== null && cursor !== '') {
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    const m = /^o:(\d{1,9})$/.exec(decoded);
    if (!m) throw ApiError.validation([{ field: 'cursor', message: 'Invalid cursor.' }]);
    offset = Number(m[1]);
  }
  const page = items.slice(offset, offset + limit);
  const next =
    offset + limit < items.length ? Buffer.from(`o:${offset + limit}`).toString('base64url') : null;
  return { [key]: page, meta: { next_cursor: next, total_estimate: items.length } };
}
