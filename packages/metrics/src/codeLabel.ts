import { isKnownApiCode, PROJECT_ERROR_CODES } from '@flora-resilience/errors';
import { NONE_LABEL, OTHER_LABEL } from './OTHER_LABEL.js';

/** Codes this project gives failures that carry no FLORA code (one list, kept by the errors package). */
export const PROJECT_CODES: readonly string[] = PROJECT_ERROR_CODES;

const PROJECT = new Set(PROJECT_CODES);

/**
 * The `code` label for an error code: a FLORA code from `KNOWN_API_CODES` or one of {@link PROJECT_CODES}
 * as is, `none` when there is no code, `_OTHER` for anything else (a server can send any string).
 */
export function codeLabel(code: string | undefined): string {
  if (code === undefined || code === '') return NONE_LABEL;
  if (isKnownApiCode(code) || PROJECT.has(code)) return code;
  return OTHER_LABEL;
}
