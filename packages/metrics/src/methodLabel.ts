import { OTHER_LABEL } from './OTHER_LABEL.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** The `method` label: a standard HTTP method in upper case, else `_OTHER`. */
export function methodLabel(method: string | undefined): string {
  const upper = (method ?? 'GET').toUpperCase();
  return METHODS.has(upper) ? upper : OTHER_LABEL;
}
