import { ApiError, type FieldError } from '../http/ApiError.js';

/** Collects field errors, then throws one 400 `input_validation_error` listing them all. */
export class FieldCollector {
  readonly errors: FieldError[] = [];

  add(field: string, message: string, code?: string): void {
    this.errors.push(code === undefined ? { field, message } : { field, message, code });
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw ApiError.validation(this.errors);
  }
}

/** The body as an object; anything else (array, string, null) is a 400. Empty bodies become `{}`. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ApiError.validation([{ field: 'body', message: 'Expected an object.' }]);
  }
  return body as Record<string, unknown>;
}

/** Checks a prefixed id (`ws_…`); records an error and returns undefined when absent or wrong. */
export function prefixedId(
  c: FieldCollector,
  obj: Record<string, unknown>,
  field: string,
  prefix: string,
  required: boolean,
): string | undefined {
  const v = obj[field];
  if (v === undefined || v === null) {
    if (required) c.add(field, 'Required');
    return undefined;
  }
  if (typeof v !== 'string') {
    c.add(field, 'Expected string.');
    return undefined;
  }
  if (!new RegExp(`^${prefix}_\\S+$`).test(v)) {
    c.add(field, `Invalid id: expected a '${prefix}_' prefixed id.`);
    return undefined;
  }
  return v;
}

/** Checks a non-empty string field. */
export function requiredString(
  c: FieldCollector,
  obj: Record<string, unknown>,
  field: string,
): string | undefined {
  const v = obj[field];
  if (v === undefined || v === null) {
    c.add(field, 'Required');
    return undefined;
  }
  if (typeof v !== 'string' || v.trim() === '') {
    c.add(field, 'Expected a non-empty string.');
    return undefined;
  }
  return v;
}

/** Rejects keys not in `allowed` (the spec's `additionalProperties: false`). */
export function noExtraKeys(
  c: FieldCollector,
  obj: Record<string, unknown>,
  allowed: readonly string[],
): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) c.add(k, 'Unrecognized key.');
}

/** Checks an https URL field (callback_url, asset source). */
export function isHttpsUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    return new URL(v).protocol === 'https:';
  } catch {
    return false;
  }
}
