import type { FieldCollector } from './validation.js';

/** A prefixed-id query filter (`?project_id=prj_…`); records an error and returns undefined when malformed. */
export function queryPrefixedId(
  c: FieldCollector,
  query: URLSearchParams,
  field: string,
  prefix: string,
): string | undefined {
  const v = query.get(field);
  if (v === null) return undefined;
  if (!new RegExp(`^${prefix}_\\S+$`).test(v)) {
    c.add(field, `Invalid id: expected a '${prefix}_' prefixed id.`);
    return undefined;
  }
  return v;
}

/** An enum query filter (`?status=running`); records an error and returns undefined when not allowed. */
export function queryEnum<T extends string>(
  c: FieldCollector,
  query: URLSearchParams,
  field: string,
  allowed: readonly T[],
): T | undefined {
  const v = query.get(field);
  if (v === null) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    c.add(field, `Expected one of ${allowed.join(', ')}.`);
    return undefined;
  }
  return v as T;
}

/** Newest first (ties: the later-created first), without mutating the input. */
export function newestFirst<T>(items: readonly T[], createdAt: (item: T) => number): T[] {
  return [...items].reverse().sort((a, b) => createdAt(b) - createdAt(a));
}
