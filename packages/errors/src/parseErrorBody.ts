import type { FloraErrorField } from './FloraError.js';

/** Only this much of a body is ever decoded or parsed; a 20 MB body costs no more than this. */
export const MAX_PARSED_BODY_BYTES = 65_536;
const MAX_FIELDS = 100;
const MAX_TEXT = 1_000;
const CODE = /^[A-Za-z0-9_.:-]{1,100}$/;

export type ErrorBodyKind = 'envelope' | 'json' | 'html' | 'text' | 'empty' | 'too_large' | 'invalid_json';

export interface ParsedErrorBody {
  readonly kind: ErrorBodyKind;
  readonly code?: string;
  readonly message?: string;
  readonly fields?: readonly FloraErrorField[];
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.slice(0, MAX_TEXT) : undefined;

function fieldsOf(value: unknown): FloraErrorField[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: FloraErrorField[] = [];
  for (const item of value.slice(0, MAX_FIELDS)) {
    if (typeof item !== 'object' || item === null) continue;
    const rec = item as Record<string, unknown>;
    const field = text(rec.field) ?? text(rec.path) ?? '';
    const message = text(rec.message) ?? '';
    if (field === '' && message === '') continue;
    const code = typeof rec.code === 'string' && CODE.test(rec.code) ? rec.code : undefined;
    out.push(code === undefined ? { field, message } : { field, message, code });
  }
  return out;
}

function prefixOf(body: unknown): { text: string; truncated: boolean } | undefined {
  if (typeof body === 'string') {
    return { text: body.slice(0, MAX_PARSED_BODY_BYTES), truncated: body.length > MAX_PARSED_BODY_BYTES };
  }
  if (body instanceof Uint8Array) {
    const slice = body.subarray(0, MAX_PARSED_BODY_BYTES);
    return {
      text: new TextDecoder('utf-8', { fatal: false }).decode(slice),
      truncated: body.length > MAX_PARSED_BODY_BYTES,
    };
  }
  if (body instanceof ArrayBuffer) return prefixOf(new Uint8Array(body));
  return undefined;
}

function fromObject(value: unknown): ParsedErrorBody {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'json' };
  const err = (value as Record<string, unknown>).error;
  if (typeof err === 'object' && err !== null && !Array.isArray(err)) {
    const rec = err as Record<string, unknown>;
    const code = typeof rec.code === 'string' && CODE.test(rec.code) ? rec.code : undefined;
    const message = text(rec.message);
    const fields = fieldsOf(rec.fields);
    if (code !== undefined || message !== undefined) {
      return {
        kind: 'envelope',
        ...(code === undefined ? {} : { code }),
        ...(message === undefined ? {} : { message }),
        ...(fields === undefined ? {} : { fields }),
      };
    }
  }
  // Not FLORA's envelope: accept a flat `{code, message}` (gateways, proxies) but never trust more.
  const flat = value as Record<string, unknown>;
  const code = typeof flat.code === 'string' && CODE.test(flat.code) ? flat.code : undefined;
  const message = text(flat.message) ?? (typeof err === 'string' ? text(err) : undefined);
  return {
    kind: 'json',
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
  };
}

/**
 * Reads FLORA's error envelope `{"error":{"code","message","fields"?}}` out of whatever arrived — a
 * string, a Buffer, an already-parsed object, HTML from a proxy, nothing at all — without ever throwing,
 * and without decoding more than {@link MAX_PARSED_BODY_BYTES}.
 */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  try {
    if (body === undefined || body === null) return { kind: 'empty' };
    if (typeof body === 'object' && !(body instanceof Uint8Array) && !(body instanceof ArrayBuffer)) {
      return fromObject(body);
    }
    const prefix = prefixOf(body);
    if (prefix === undefined) return { kind: 'text' };
    // Oversized first: a 3 MB body is not "empty" because its first 64 kB are blanks.
    if (prefix.truncated) return { kind: 'too_large' };
    const trimmed = prefix.text.trim();
    if (trimmed === '') return { kind: 'empty' };
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return fromObject(JSON.parse(trimmed));
      } catch {
        return { kind: 'invalid_json' };
      }
    }
    if (/^<(?:!doctype|html|head|body|\?xml)/i.test(trimmed)) return { kind: 'html' };
    return { kind: 'text' };
  } catch {
    return { kind: 'text' };
  }
}
